// The GraphQL IDE: GraphiQL under a sign-in bar. scripts/build-graphql-ide.mjs bundles this
// file, React, GraphiQL and graphql-ws into dist/graphql-ide/ at `npm run build`; the service
// serves them itself (graphql-ide.controller.ts): no CDN, no fonts or telemetry from anywhere
// else, nothing inline (the page's CSP allows only its own scripts and styles).
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { setNonce } from 'get-nonce';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createClient } from 'graphql-ws';
import { createElement as h, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLE_TABS } from './examples.js';
import './ide.css';

/** The dashboard's key too: one sign-in serves both pages of this origin until the tab closes. */
const TOKEN_KEY = 'mbd.token';
const ENDPOINT = '/graphql';

// GraphiQL's dialogs (Radix) write one <style> element through react-style-singleton, which
// takes its nonce from get-nonce: the page's CSP allows that nonce for styles only.
setNonce(document.querySelector('meta[property="csp-nonce"]')?.nonce);

const SIGN_IN = `mutation SignIn($input: LoginInput!) { login(input: $input) { token } }`;
const WHO_AM_I = `query WhoAmI { me { name } }`;

async function post(query, variables, token) {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/**
 * What GraphiQL runs operations with: queries and mutations over HTTP with the token as a
 * bearer, subscriptions over graphql-ws on the same path with the token in the connection
 * parameters, where the service reads it (`connectionAuthorization`, subscription-server.ts).
 */
function connect(token, onIntrospection) {
  const authorization = token ? `Bearer ${token}` : undefined;
  const socketUrl = new URL(ENDPOINT, window.location.href);
  socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsClient = createClient({
    url: socketUrl.href,
    // Opened by the first subscription only; the service closes a socket that does not sign in.
    lazy: true,
    retryAttempts: 0,
    connectionParams: authorization ? { authorization } : {},
  });
  // A subscription the service refuses before it starts (graphql-ws `error`: validation, rate
  // limits) is shown like any other GraphQL errors, not thrown as an unhandled rejection.
  const subscriptions = {
    subscribe: (payload, sink) =>
      wsClient.subscribe(payload, {
        next: (result) => sink.next(result),
        complete: () => sink.complete(),
        error: (error) => {
          if (!Array.isArray(error)) return sink.error(error);
          sink.next({ errors: error });
          sink.complete();
        },
      }),
  };
  const fetcher = createGraphiQLFetcher({
    url: ENDPOINT,
    headers: authorization ? { authorization } : {},
    wsClient: subscriptions,
    // No @defer or @stream here: plain JSON requests, as every other client sends.
    enableIncrementalDelivery: false,
  });
  // Whether the service answers introspection (off in production unless GRAPHQL_INTROSPECTION).
  const watched = async (params, options) => {
    const result = await fetcher(params, options);
    if (params.operationName === 'IntrospectionQuery') onIntrospection(!result?.errors?.length);
    return result;
  };
  return { fetcher: watched, wsClient };
}

const NO_INTROSPECTION =
  'No docs or autocompletion: this service does not answer introspection (GRAPHQL_INTROSPECTION, off in production). Operations still run.';

function SignInBar({ who, signedIn, introspection, onSignIn, onSignOut }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const title = h(
    'span',
    { className: 'ide-title' },
    'Market Based Dynamics · GraphQL',
    introspection ? null : h('span', { className: 'ide-note', role: 'status' }, NO_INTROSPECTION),
  );
  if (signedIn) {
    return h(
      'header',
      { className: 'ide-bar' },
      title,
      h('span', { className: 'ide-who', 'data-testid': 'who' }, who ? `Signed in as ${who}` : ''),
      h('button', { type: 'button', className: 'ide-button', onClick: onSignOut }, 'Sign out'),
    );
  }
  const submit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError('');
    try {
      const input = { email: form.get('email'), password: form.get('password') };
      const body = await post(SIGN_IN, { input });
      if (body.data?.login) onSignIn(body.data.login.token);
      else setError(body.errors?.[0]?.message ?? 'Sign-in failed');
    } catch {
      setError('The service did not answer');
    } finally {
      setBusy(false);
    }
  };
  return h(
    'header',
    { className: 'ide-bar' },
    title,
    h(
      'form',
      { className: 'ide-sign-in', onSubmit: submit },
      h('input', {
        name: 'email',
        type: 'email',
        placeholder: 'E-mail',
        'aria-label': 'E-mail',
        autoComplete: 'username',
        required: true,
      }),
      h('input', {
        name: 'password',
        type: 'password',
        placeholder: 'Password',
        'aria-label': 'Password',
        autoComplete: 'current-password',
        required: true,
      }),
      h('button', { type: 'submit', className: 'ide-button', disabled: busy }, 'Sign in'),
      h('span', { className: 'ide-error', role: 'alert' }, error),
    ),
  );
}

function App() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY));
  const [who, setWho] = useState('');
  const [introspection, setIntrospection] = useState(true);
  const connection = useMemo(() => connect(token, setIntrospection), [token]);
  useEffect(() => () => void connection.wsClient.dispose(), [connection]);

  const signIn = (newToken) => {
    sessionStorage.setItem(TOKEN_KEY, newToken);
    setToken(newToken);
  };
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
    setWho('');
  };

  // Whose token this is; one that has expired or whose session ended is dropped.
  useEffect(() => {
    if (!token) return undefined;
    let current = true;
    post(WHO_AM_I, {}, token).then(
      (body) => {
        if (!current) return;
        if (body.data?.me) setWho(body.data.me.name);
        else if (body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED') signOut();
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [token]);

  return h(
    'div',
    { className: 'ide' },
    h(SignInBar, {
      who,
      signedIn: Boolean(token),
      introspection,
      onSignIn: signIn,
      onSignOut: signOut,
    }),
    h(
      'main',
      { className: 'ide-graphiql' },
      h(
        GraphiQL,
        {
          fetcher: connection.fetcher,
          defaultTabs: EXAMPLE_TABS,
          // Headers typed into GraphiQL stay in this tab; the token is never written to disk.
          shouldPersistHeaders: false,
        },
        h(GraphiQL.Logo, null, 'GraphiQL'),
      ),
    ),
  );
}

createRoot(document.getElementById('ide')).render(h(App));
