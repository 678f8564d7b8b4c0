// The pager's words: which rows are on show, of how many. Under "most uncertain
// first" only the newest matching calls are ranked, and the pager says so
// rather than let the total change with the sort unexplained.
import type { EventPage } from './protocol';

const count = (n: number) => n.toLocaleString('en-US');

/** E.g. "1–100 of 3,200", or "1–100 of the 2,000 newest (3,200 match)" when the ranking leaves calls out. */
export function pagerText(offset: number, page: Pick<EventPage, 'total' | 'matched'> & { shown: number }): string {
  const range = page.total && page.shown ? `${count(offset + 1)}–${count(offset + page.shown)}` : '0';
  return page.matched > page.total ? `${range} of the ${count(page.total)} newest (${count(page.matched)} match)` : `${range} of ${count(page.total)}`;
}
