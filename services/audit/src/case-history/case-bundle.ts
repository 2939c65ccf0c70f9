// A case exported for offline checking: JSON lines, one archived canonical (RFC 8785) envelope per
// line in causal order, byte for byte as the archive holds it (so each line's hash can be
// recomputed), signed by the audit service as a detached compact JWS (RFC 7515 Appendix F).
// The canonical text never holds a raw line break (JSON escapes them), so one line is one event.
import type { ArchivedEvent } from '../archive/archive-store.ts';

export const CASE_BUNDLE_TYP = 'nrm-case-bundle+jws';
export const JWKS_URL = '/v1/audit/.well-known/jwks.json';

/** Every line ends with a line feed, the last one too. */
export function caseBundleContent(ordered: readonly ArchivedEvent[]): string {
  let content = '';
  for (const { envelope } of ordered) content += `${envelope}\n`;
  return content;
}
