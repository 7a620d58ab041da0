// Hands the scan answer from the home page to the result page without squeezing it
// into a URL (mini-program query strings are short). Lost on reload: the page then goes home.
import type { ScanRoute } from '../lib/scan-route';

let current: { route: ScanRoute; payload: string } | null = null;

export const setScanResult = (value: { route: ScanRoute; payload: string }) => {
  current = value;
};
export const getScanResult = () => current;
