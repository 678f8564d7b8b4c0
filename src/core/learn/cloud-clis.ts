// Cloud and cluster CLIs: their command structure, which operations only read,
// which read secrets, and their dangerous forms. aws, gcloud, az and doctl have
// thousands of operations, too many to list: a read is recognised by its verb
// (`describe-*`, `list`, `show` …) and every other operation is a mutation, so
// a pattern learned from reads can never cover one. helm and gsutil have a
// small fixed set of subcommands and are ordinary subcommand tools.
import type { SubcommandSpec } from './dangerous-forms';

/**
 * A long option that sends the call elsewhere (`--endpoint-url`: to another
 * host, signed with the user's credentials). The AWS CLI also takes an
 * unambiguous prefix of a global long option, so `$0 *--endpoint*` and every
 * shorter prefix down to `--e`, followed by its value, are dangerous forms.
 */
function withPrefixes(stem: string): string[] {
  const out = [`$0 *${stem}*`];
  for (let n = 3; n < stem.length; n++) out.push(`$0 *${stem.slice(0, n)} *`, `$0 *${stem.slice(0, n)}=*`);
  return out;
}

/** A cloud CLI: its read verbs; its mutations are every other operation, so none are listed. */
const verbTool = (spec: Omit<SubcommandSpec, 'readOnly' | 'mutating'> & { readOnly?: readonly string[] }): SubcommandSpec => ({ readOnly: [], mutating: [], ...spec });

const AWS = verbTool({
  verbs: {
    groups: 1, read: ['describe-', 'list-', 'get-', 'head-', 'lookup-', 'filter-', 'search-', 'batch-get-'],
    destructive: ['delete-', 'batch-delete-', 'terminate-', 'remove-', 'deregister-', 'purge-', 'rm', 'rb'],
  },
  readOnly: ['s3 ls', 'logs tail', 'configure list', 'configure list-profiles'],
  // Reads that return a secret, a credential or a token, or write a file named on the command line.
  sensitive: [
    'secretsmanager get-secret-value', 'secretsmanager batch-get-secret-value', '--with-decryption', '--include-value',
    'sts get-session-token', 'sts get-federation-token', 'sts assume-role', 'sts assume-role-with-saml', 'sts assume-role-with-web-identity',
    'ecr get-login-password', 'ecr get-login', 'ecr get-authorization-token', 'ecr-public get-login-password', 'ecr-public get-authorization-token',
    'codeartifact get-authorization-token', 'eks get-token', 'sso get-role-credentials', 'cognito-identity get-credentials-for-identity',
    'cognito-identity get-open-id-token', 'redshift get-cluster-credentials', 'redshift get-cluster-credentials-with-iam', 'redshift-serverless get-credentials',
    'ec2 get-password-data', 'lightsail get-instance-access-details', 'lightsail get-relational-database-master-user-password',
    'iam create-access-key', 'configure get', 'configure export-credentials', 's3api get-object', 's3api get-object-torrent',
  ],
  optionsWithValue: ['--profile', '--region', '--output', '--endpoint-url', '--query', '--color', '--ca-bundle', '--cli-read-timeout', '--cli-connect-timeout', '--cli-binary-format'],
  guards: [...withPrefixes('--endpoint'), '$0 *--no-verify-ssl*', '$0 *--ca-bundle*'],
});

const GCLOUD = verbTool({
  verbs: { read: ['list', 'describe', 'get-', 'read', 'info', 'version'], tracks: ['alpha', 'beta', 'preview'] },
  sensitive: [
    'auth print-access-token', 'auth print-identity-token', 'auth application-default print-access-token', 'config config-helper',
    'secrets versions access', 'iam service-accounts keys create', 'compute ssh', 'compute scp', 'compute connect-to-serial-port',
    'compute reset-windows-password', 'container clusters get-credentials', 'sql connect', 'cloud-shell ssh',
  ],
  optionsWithValue: ['--project', '--account', '--configuration', '--format', '--verbosity', '--billing-project'],
  // Acting as someone else, with a token from a file, with flags read from a file, or logging requests with their tokens.
  guards: ['$0 *--impersonate-service-account*', '$0 *--access-token-file*', '$0 *--flags-file*', '$0 *--log-http*'],
});

const AZ = verbTool({
  verbs: { read: ['list', 'show', 'version'] },
  sensitive: [
    'account get-access-token', 'keyvault secret show', 'keyvault secret download', 'keyvault key download', 'keyvault certificate download',
    'storage account keys list', 'storage account show-connection-string', 'storage account generate-sas', 'storage container generate-sas',
    'storage blob generate-sas', 'acr credential show', 'acr login', 'aks get-credentials', 'redis list-keys', 'cosmosdb keys list',
    'webapp deployment list-publishing-credentials', 'webapp deployment list-publishing-profiles', 'functionapp keys list',
    'functionapp deployment list-publishing-credentials', 'functionapp deployment list-publishing-profiles', 'sql db show-connection-string',
    'cognitiveservices account keys list', 'search admin-key show', 'search query-key list', 'signalr key list',
  ],
  optionsWithValue: ['--subscription', '--output', '-o', '--query'],
});

const DOCTL = verbTool({
  verbs: { read: ['list', 'ls', 'get'] },
  sensitive: [
    'kubernetes cluster kubeconfig show', 'registry docker-config', 'registry login', 'databases connection', 'databases user get',
    'databases user list', 'databases pool get', 'compute ssh',
  ],
  optionsWithValue: ['--context', '--config', '-c', '--output', '-o', '--access-token', '-t'],
  // The API address receives the user's token.
  guards: ['$0 *--api-url*', '$0 -u *', '$0 * -u *'],
});

const HELM: SubcommandSpec = {
  readOnly: ['list', 'ls', 'status', 'get', 'template', 'lint', 'show', 'inspect', 'version', 'history', 'search', 'env', 'verify', 'repo list',
    'dependency list', 'plugin list'],
  mutating: ['install', 'upgrade', 'uninstall', 'delete', 'del', 'un', 'rollback', 'test', 'plugin', 'repo', 'dependency', 'dep', 'push', 'pull',
    'fetch', 'package', 'create', 'registry'],
  local: ['dependency', 'dep', 'package', 'create'],
  // the helm-secrets plugin decrypts the values files it is given
  sensitive: ['secrets'],
  optionsWithValue: ['-n', '--namespace', '--kube-context', '--kubeconfig'],
  // A post-renderer is a program helm runs; the kube and registry options talk to another cluster or as another
  // user; rendered manifests are never written outside the project.
  guards: ['$0 *--post-renderer*', '$0 *--kube-apiserver*', '$0 *--kube-token*', '$0 *--kubeconfig*', '$0 *--kube-as-*', '$0 *--registry-config*',
    ...['/', '~', '../'].flatMap((p) => [`$0 *--output-dir ${p}*`, `$0 *--output-dir=${p}*`])],
};

const GSUTIL: SubcommandSpec = {
  readOnly: ['ls', 'cat', 'stat', 'du', 'hash', 'version'],
  mutating: ['cp', 'mv', 'rm', 'rsync', 'mb', 'rb', 'acl', 'defacl', 'setmeta', 'iam', 'notification', 'compose', 'cors', 'lifecycle', 'logging',
    'versioning', 'web', 'label', 'retention', 'kms', 'pap', 'ubla', 'rpo', 'autoclass', 'bucketpolicyonly', 'requesterpays', 'defstorageclass',
    'perfdiag', 'update', 'test', 'config',
    // signed URLs and HMAC keys are credentials
    'signurl', 'hmac'],
  optionsWithValue: ['-o', '-h'],
  // `-o Credentials:…` and `-o Boto:…` change where requests go and how they are authenticated.
  guards: ['$0 *Credentials:*', '$0 *Boto:*'],
};

export const CLOUD_CLIS: Record<string, SubcommandSpec> = { aws: AWS, gcloud: GCLOUD, az: AZ, doctl: DOCTL, helm: HELM, gsutil: GSUTIL };

/** Where a cloud CLI's operation ends and what it is. */
export interface Operation {
  /** Index (in the words after the binary) just past the operation; undefined when it cannot be told where it ends. */
  end?: number;
  /** The words naming it, without options (`ec2 describe-instances`, `compute instances list`). */
  sub: string;
  readOnly: boolean;
  /** For a read in a verb family (`describe-`): the family, so that `aws ec2 describe-*` covers its reads. */
  family?: string;
  /** The tool's sensitive operations and options this call uses. */
  sensitive: string[];
}

/**
 * The operation of a call to a cloud CLI, given the words after the binary
 * and the index of the first one after its global options. Options between
 * the words of the path are skipped (with their value when the spec knows
 * it takes one). The path is the service and operation (aws:
 * `ec2 describe-instances`) or the groups up to the first read verb
 * (`compute instances list`). Without a read verb, a tool with groups of any
 * depth gives no end: where its mutation's name stops and its arguments
 * begin is unknown, so such a call stays exact; so does a destructive one.
 */
export function operationOf(spec: SubcommandSpec, words: readonly string[], start: number): Operation {
  const verbs = spec.verbs!;
  const path: string[] = [];
  let end: number | undefined;
  let verb: string | undefined;
  for (let k = start; k < words.length && end === undefined; k++) {
    if (words[k].startsWith('-')) {
      if (spec.optionsWithValue?.includes(words[k])) k++;
      continue;
    }
    path.push(words[k]);
    const isVerb = verbs.groups === undefined ? verbMatch(verbs.read, words[k]) : path.length === verbs.groups + 1 ? (verbMatch(verbs.read, words[k]) ?? '') : undefined;
    if (isVerb !== undefined) [end, verb] = [k + 1, isVerb || undefined];
  }
  if (end !== undefined && !verb && verbMatch(verbs.destructive ?? [], path[path.length - 1]) !== undefined) end = undefined;
  const named = path.filter((w, k) => k > 0 || !verbs.tracks?.includes(w));
  const sensitive = (spec.sensitive ?? []).filter((s) => (s.startsWith('-') ? words.some((w) => w.startsWith(s)) : s.split(' ').every((w, k) => named[k] === w)));
  const sub = named.join(' ');
  const readOnly = end !== undefined && !sensitive.length && (verb !== undefined || spec.readOnly.includes(sub));
  return { end, sub, readOnly, family: readOnly && verb?.endsWith('-') ? verb : undefined, sensitive };
}

/** The read verb a word is (`list`), or the family it belongs to (`describe-` for `describe-instances`). */
function verbMatch(read: readonly string[], word: string): string | undefined {
  return read.find((v) => (v.endsWith('-') ? word.startsWith(v) && word.length > v.length : word === v));
}

/** How a cloud CLI's subcommand may be spelled: also after a release track (`gcloud beta …`). */
export function trackSpellings(spec: SubcommandSpec, sub: string): string[] {
  return [sub, ...(spec.verbs?.tracks ?? []).map((t) => `${t} ${sub}`)];
}
