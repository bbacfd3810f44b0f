import type { CORSOptions, Plugin } from 'graphql-yoga';

/**
 * Yoga's CORS options from CORS_ORIGINS. Tokens travel in the Authorization
 * header, never in cookies, so any origin may call the API without
 * credentials; listed origins alone also get Access-Control-Allow-Credentials.
 * An origin that is not listed gets no CORS headers, so browsers refuse it.
 */
export function corsOptions(origins: string[]): CORSOptions | ((request: Request) => CORSOptions) {
  if (origins[0] === 'off') return false;
  const common = { allowedHeaders: ['authorization', 'content-type', 'accept'], methods: ['GET', 'POST', 'OPTIONS'], maxAge: 600 };
  if (origins[0] === '*') return { ...common, origin: '*', credentials: false };
  const allowed = new Set(origins);
  return (request) => {
    const origin = request.headers.get('origin');
    return origin && allowed.has(origin) ? { ...common, origin: [origin], credentials: true } : false;
  };
}

/** With a list, whether a response has CORS headers depends on Origin: shared caches must key on it. */
export function varyByOrigin(origins: string[]): Plugin {
  const listed = origins[0] !== '*' && origins[0] !== 'off';
  return {
    onResponse({ response }) {
      if (!listed) return;
      const vary = response.headers.get('vary');
      if (
        !vary
          ?.toLowerCase()
          .split(/\s*,\s*/)
          .includes('origin')
      )
        response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
    },
  };
}
