// Live updates, whichever the server offers (POST /api/realtime/negotiate):
//   {"mode":"sse","url"}                 -> EventSource, one named event per message type
//   {"mode":"signalr","url","accessToken"} -> Azure SignalR Service through the SignalR client (lib/signalr.min.js)
// Either way the console reconnects with exponential backoff, and polls the agent's state while it is not connected
// (and, slowly, while it is: a missed message is never lost for long). Servers without negotiate get polling only.
import { isMissing } from './api.js';

export const messageTypes = ['offer', 'offerWithdrawn', 'contactAssigned', 'contactEnded', 'timeline', 'agent', 'board'];

const fastPollMs = 2_000;
const slowPollMs = 15_000;
const maxBackoffMs = 30_000;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    if (window.signalR) return resolve();
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`Could not load ${src}.`));
    document.head.append(script);
  });
}

export function connectRealtime({ api, onMessage, onStatus, poll }) {
  let closed = false;
  let connected = false;
  let attempt = 0;
  let source = null;
  let hub = null;
  let pollTimer = null;
  let retryTimer = null;

  function setConnected(value, label) {
    connected = value;
    onStatus(label);
    schedulePoll(0);
  }

  function schedulePoll(delay) {
    clearTimeout(pollTimer);
    if (closed) return;
    pollTimer = setTimeout(async () => {
      try { await poll(); } catch { /* the next poll tries again; poll shows its own errors */ }
      schedulePoll(connected ? slowPollMs : fastPollMs);
    }, delay);
  }

  function retry() {
    if (closed) return;
    const delay = Math.min(maxBackoffMs, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt++;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  }

  function deliver(type, data) {
    try { onMessage(type, typeof data === 'string' ? JSON.parse(data) : data); } catch (e) { console.error(type, e); }
  }

  async function connect() {
    if (closed) return;
    let negotiated;
    try {
      negotiated = await api.post('/api/realtime/negotiate');
    } catch (error) {
      if (isMissing(error)) {
        setConnected(false, 'polling');
        return; // this server has no push: polling only, for good
      }
      setConnected(false, 'reconnecting…');
      retry();
      return;
    }
    try {
      if (negotiated.mode === 'sse') connectSse(negotiated);
      else if (negotiated.mode === 'signalr') await connectSignalR(negotiated);
      else throw new Error(`Unknown realtime mode ${negotiated.mode}`);
    } catch (error) {
      console.warn('realtime', error);
      setConnected(false, 'reconnecting…');
      retry();
    }
  }

  function connectSse({ url }) {
    source = new EventSource(new URL(url, location.origin));
    source.onopen = () => { attempt = 0; setConnected(true, 'live'); };
    for (const type of messageTypes) source.addEventListener(type, (event) => deliver(type, event.data));
    source.onerror = () => {
      // EventSource retries by itself with the same (possibly expired) token: renegotiate instead.
      source.close();
      source = null;
      setConnected(false, 'reconnecting…');
      retry();
    };
  }

  async function connectSignalR({ url, accessToken }) {
    await loadScript('lib/signalr.min.js');
    let token = accessToken;
    hub = new window.signalR.HubConnectionBuilder()
      .withUrl(url, { accessTokenFactory: () => token })
      .configureLogging(window.signalR.LogLevel.Warning)
      .build();
    for (const type of messageTypes) hub.on(type, (data) => deliver(type, data));
    hub.onclose(() => {
      hub = null;
      setConnected(false, 'reconnecting…');
      retry();
    });
    await hub.start();
    attempt = 0;
    setConnected(true, 'live');
  }

  connect();
  return {
    get connected() { return connected; },
    close() {
      closed = true;
      clearTimeout(pollTimer);
      clearTimeout(retryTimer);
      source?.close();
      hub?.stop();
    },
  };
}
