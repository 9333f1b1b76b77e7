// Replaced at bundle time by esbuild's `define`; the fallback serves tsx runs from source.
declare const __HACONF_VERSION__: string | undefined;
export const VERSION: string = typeof __HACONF_VERSION__ === 'string' ? __HACONF_VERSION__ : '0.0.0-dev';
