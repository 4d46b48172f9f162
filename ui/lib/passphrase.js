// The UI's own check of a new passphrase, before the backend checks it again.

export const MIN_PASSPHRASE_LENGTH = 10;

/**
 * null when the pair is acceptable, else {field: 'passphrase'|'repeat', key, params}
 * naming the message to show and the field to return to. Length counts characters
 * (code points), so "æøå" counts as three.
 */
export function checkNewPassphrase(passphrase, repeat) {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    return { field: 'passphrase', key: 'passphrase.too_short', params: { min: MIN_PASSPHRASE_LENGTH } };
  }
  if (passphrase !== repeat) return { field: 'repeat', key: 'passphrase.mismatch', params: {} };
  return null;
}
