// Who labels an event, by default: the OS account. Containers and CI runners
// often run under a uid with no passwd entry, where os.userInfo() throws.
import { userInfo } from 'node:os';

/** The OS user name, or `uid:N` when the account has no name. */
export function osUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid:${process.getuid?.() ?? 'unknown'}`;
  }
}
