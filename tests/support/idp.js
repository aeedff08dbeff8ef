// A real OpenID provider on loopback for the single sign-on tests: the npm package oidc-provider
// (an OpenID Certified implementation), with its own sign-in page where a person types their
// email (no password: the tests are about Trellis's side). Keys: one RSA (RS256) and one P-256
// (ES256) key, made fresh for each run.
//
//   const idp = await startIdp({ accounts: [{ sub: 'u1', email: 'a@x', email_verified: true }] });
//   idp.issuer                      -> 'http://127.0.0.1:PORT'
//   idp.setClient({ client_id, client_secret, redirect_uris, id_token_signed_response_alg })
//   idp.signIn(startLocation, email) -> the provider's final redirect back to the client (URL)
import http from 'node:http';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

function jwk(type, opts, alg) {
  const { privateKey } = generateKeyPairSync(type, opts);
  return { ...privateKey.export({ format: 'jwk' }), kid: `${alg}-${randomUUID().slice(0, 8)}`, alg, use: 'sig' };
}

function page(uid, error) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP sign-in</title></head>
<body><h1>Test identity provider</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label for="login">Email</label> <input id="login" name="login" type="email" autocomplete="off">
<button type="submit">Continue</button></form></body></html>`;
}

export async function startIdp({ accounts = [], conformIdTokenClaims = true } = {}) {
  const server = http.createServer();
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const keys = [jwk('rsa', { modulusLength: 2048 }, 'RS256'), jwk('ec', { namedCurve: 'P-256' }, 'ES256')];
  let provider = null;
  const state = { accounts: [...accounts] };

  const byEmail = (email) => state.accounts.find((a) => a.email.toLowerCase() === String(email).toLowerCase());

  async function finish(req, res, accountId, details) {
    const grant = details.grantId ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope('openid email profile');
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  async function interaction(req, res) {
    const m = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      // a person already signed in at the provider only needs consent: given at once
      if (details.prompt.name === 'consent' && details.session?.accountId) return finish(req, res, details.session.accountId, details);
      res.setHeader('content-type', 'text/html; charset=utf-8');
      return res.end(page(m[1]));
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const login = new URLSearchParams(body).get('login') || '';
    const account = byEmail(login);
    if (!account) {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      return res.end(page(m[1], 'No such account at the provider.'));
    }
    return finish(req, res, account.sub, details);
  }

  server.on('request', async (req, res) => {
    try {
      if (req.url.startsWith('/interaction/')) return await interaction(req, res);
      return provider.callback()(req, res);
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e && e.stack));
    }
  });

  function build(clients) {
    provider = new Provider(issuer, {
      clients,
      jwks: { keys },
      findAccount: async (ctx, id) => {
        const a = state.accounts.find((x) => x.sub === id);
        if (!a) return undefined;
        return { accountId: id, claims: async () => ({ ...a }) };
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      conformIdTokenClaims,
      features: { devInteractions: { enabled: false } },
      interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['trellis-test-idp-cookie-key'] },
      pkce: { required: () => true },
      ttl: { Interaction: 600, Grant: 600, Session: 3600, AccessToken: 600, IdToken: 600 },
    });
    provider.on('server_error', (ctx, err) => { console.error('idp server_error', err); });
  }
  build([]);

  const idp = {
    issuer,
    accounts: state.accounts,
    /** Registers the one client (Trellis); the provider answers discovery before that. */
    setClient(client) {
      build([{ response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic', ...client }]);
    },
    /** Follows the provider's pages as a browser would, typing email; returns the URL it sends
     * the browser back to (the client's redirect URI with code and state). */
    async signIn(location, email) {
      const jar = new Map();
      const send = async (url, init = {}) => {
        const headers = { ...(init.headers || {}) };
        if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
        const r = await fetch(url, { ...init, headers, redirect: 'manual' });
        for (const c of r.headers.getSetCookie()) {
          const [kv] = c.split(';');
          const i = kv.indexOf('=');
          jar.set(kv.slice(0, i), kv.slice(i + 1));
        }
        return r;
      };
      let url = location;
      for (let hops = 0; hops < 10; hops++) {
        if (!url.startsWith(issuer)) return url;
        let r = await send(url);
        if (r.status === 200 && new URL(url).pathname.startsWith('/interaction/')) {
          await r.text();
          r = await send(`${url.replace(/\/$/, '')}/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ login: email }).toString(),
          });
          if (r.status === 200) throw new Error(`the provider refused ${email}: ${await r.text()}`);
        }
        if (r.status < 300 || r.status > 399) throw new Error(`the provider answered ${r.status} at ${url}: ${await r.text()}`);
        url = new URL(r.headers.get('location'), url).toString();
      }
      throw new Error('too many redirects at the provider');
    },
    close() { return new Promise((res) => server.close(res)); },
  };
  return idp;
}
