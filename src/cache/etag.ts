/** Strong ETags from content: the same bytes always give the same tag, any change gives another. */
import crypto from 'node:crypto';

export function strongEtag(data: Buffer | string): string {
  return `"${crypto.createHash('sha1').update(data).digest('base64url')}"`;
}
