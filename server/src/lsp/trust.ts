// Workspace trust granted after start-up (VS Code's Restricted Mode). The client tells the running server
// with this notification instead of restarting it; a server started later reads the current trust from
// initializationOptions.trusted. Editors without Restricted Mode send neither and are trusted.
export const TRUST_NOTIFICATION = 'haconf/trust';

export interface TrustParams {
  trusted: boolean;
}
