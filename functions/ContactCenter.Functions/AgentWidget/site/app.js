// The agent console: sign-in, presence, the offer toast, the inbox, a contact's timeline and case, replies, call
// controls, notes and wrap-up; the supervisor board for supervisors. Plain modules, no build step.
import { ApiError, createApi, enc, isMissing } from './api.js';
import { currentToken, forgetSession, loadAuthConfig, savedSession, signInLocally, signInWithEntra } from './auth.js';
import { createBoard } from './board.js';
import { channelBadge, channelLabels, channelOf } from './icons.js';
import { connectRealtime } from './realtime.js';
import { isTeamsHost } from './teams.js';

const $ = (id) => document.getElementById(id);

const state = {
  config: null,
  session: null,
  agent: null,
  offer: null,          // the offer on screen: {contactId, channel, queueId, expiresAt}
  deciding: null,       // the contact id being accepted/declined by this console
  contacts: [],         // the inbox
  selected: null,       // the contact id shown
  customers: new Map(), // customer id -> GET /api/customers/{id}
  realtime: null,
};

const api = createApi({
  getToken: () => currentToken(state.session),
  onUnauthorized: () => {
    if (state.session?.teams) return; // teams-js renews the token by itself
    signOut('Your session ended: sign in again.');
  },
});

const me = () => state.session.agentId;
const isSupervisor = () => (state.session?.roles ?? []).includes('Supervisor');

// ---- messages -------------------------------------------------------------------------------------------------
function say(text) {
  $('announcer').textContent = text;
  $('message').textContent = text;
  $('message').hidden = false;
}

function fail(text) {
  $('error').textContent = text;
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

async function attempt(action, what) {
  try {
    clearError();
    return await action();
  } catch (error) {
    fail(`${what}: ${error.message}`);
    return undefined;
  }
}

// ---- sign-in --------------------------------------------------------------------------------------------------
async function start() {
  try {
    state.config = await loadAuthConfig();
  } catch (error) {
    fail(error.message);
    return;
  }
  state.session = savedSession();
  if (!state.session && state.config.mode === 'entra') {
    // Back from the Entra redirect, or inside Teams: no click needed.
    state.session = await attempt(() => signInWithEntra(state.config, { interactive: false }), 'Sign-in');
  }
  if (state.session) {
    await enterWorkspace();
  } else {
    showSignIn();
  }
}

function showSignIn() {
  $('sign-in').hidden = false;
  $('workspace').hidden = true;
  $('session-bar').hidden = true;
  const local = state.config.mode !== 'entra';
  $('local-sign-in').hidden = !local;
  $('entra-sign-in').hidden = local;
  $('local-sign-in-hint').textContent = 'Local mode: sign in as any agent id; the server issues a development token.';
  (local ? $('agent-id') : $('entra-button')).focus();
}

$('local-sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const session = await attempt(() => signInLocally($('agent-id').value.trim(), $('supervisor').checked), 'Sign-in');
  if (session) {
    state.session = session;
    await enterWorkspace();
  }
});

$('entra-button').addEventListener('click', () => attempt(() => signInWithEntra(state.config, { interactive: true }), 'Sign-in'));

$('sign-out').addEventListener('click', () => signOut('Signed out.'));

function signOut(message) {
  forgetSession();
  state.realtime?.close();
  state.realtime = null;
  state.session = null;
  state.agent = null;
  hideOffer(null);
  showSignIn();
  say(message);
}

async function enterWorkspace() {
  $('sign-in').hidden = true;
  $('workspace').hidden = false;
  $('session-bar').hidden = false;
  $('tab-board').hidden = !isSupervisor();
  $('agent-name').textContent = state.session.name ? `${state.session.name} (${me()})` : me();
  await refreshAgent();
  await refreshInbox();
  state.realtime = connectRealtime({
    api,
    onMessage,
    onStatus: (label) => { $('connection').textContent = label; },
    poll: async () => {
      await refreshAgent();
      await refreshInbox();
      if (state.selected) await refreshTimeline();
      if (!$('panel-board').hidden) await board.refresh();
    },
  });
  $('main').focus();
}

// ---- real-time messages ---------------------------------------------------------------------------------------
function onMessage(type, data) {
  switch (type) {
    case 'agent':
      if (data?.id === me()) applyAgent(data);
      break;
    case 'offer':
      // Supervisors hear everybody's offers: only the agent's own state says which one is theirs.
      if (data.agentId === me() || (!data.agentId && !isSupervisor())) showOffer(data);
      else refreshAgent();
      break;
    case 'offerWithdrawn':
      if (state.offer?.contactId === data.contactId && state.deciding !== data.contactId) hideOffer(data.reason);
      break;
    case 'contactAssigned':
    case 'contactEnded':
      refreshInbox();
      if (!$('panel-board').hidden) board.refresh();
      break;
    case 'timeline':
      if (currentContact()?.customerId === data.customerId) refreshTimeline();
      break;
    case 'board':
      if (!$('panel-board').hidden) board.refresh();
      break;
  }
}

// ---- presence and the agent's state ---------------------------------------------------------------------------
async function refreshAgent() {
  try {
    applyAgent(await api.get(`/api/agents/${enc(me())}`));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      fail(`Agent ${me()} is not registered: a supervisor adds agents (PUT /api/agents/${me()}).`);
    } else {
      fail(`Agent state: ${error.message}`);
    }
  }
}

function applyAgent(agent) {
  const previous = state.agent;
  state.agent = agent;
  const presence = String(agent.presence ?? 'offline').toLowerCase();
  if (document.activeElement !== $('presence')) $('presence').value = presence;
  $('ring-target-field').hidden = !agent.teamsUserId;
  if (document.activeElement !== $('ring-target')) $('ring-target').value = String(agent.ringTarget ?? 'default').toLowerCase();
  if (agent.offer) {
    showOffer(agent.offer);
  } else if (state.offer && state.deciding !== state.offer.contactId) {
    offerGoneWithoutUs(state.offer);
  }
  const before = new Set((previous?.assignments ?? []).map((a) => a.contactId));
  if ((agent.assignments ?? []).some((a) => !before.has(a.contactId)) || (previous?.assignments?.length ?? 0) !== (agent.assignments?.length ?? 0)) {
    refreshInbox();
  }
}

// Where calls ring: the agent's usual voice address, or their Teams client (PUT .../voice-target).
$('ring-target').addEventListener('change', async () => {
  const ringTarget = $('ring-target').value;
  const agent = await attempt(() => api.put(`/api/agents/${enc(me())}/voice-target`, { ringTarget }), 'Calls ring');
  if (agent) {
    applyAgent(agent);
    say(ringTarget === 'teams' ? 'Calls will ring in Teams.' : 'Calls will ring in this console.');
  } else {
    await refreshAgent();
  }
});

$('presence').addEventListener('change', async () => {
  const presence = $('presence').value;
  const agent = await attempt(() => api.put(`/api/agents/${enc(me())}/presence`, { presence }), 'Presence');
  if (agent) {
    applyAgent(agent);
    say(`You are ${presence}.`);
  } else {
    await refreshAgent();
  }
});

// ---- the offer toast ------------------------------------------------------------------------------------------
let countdownTimer = null;

function showOffer(offer) {
  const channel = channelOf(offer.channel);
  // The same contact offered again (after an expiry, when no other agent can take it) is a new offer too.
  const isNew = state.offer?.contactId !== offer.contactId || state.offer?.expiresAt !== offer.expiresAt;
  state.offer = { ...offer, channel };
  if (!isNew) return;
  $('offer-icon').replaceChildren(channelBadge(channel));
  $('offer-heading').textContent = `New ${channelLabels[channel] ?? channel} contact`;
  $('offer-details').textContent = `Queue ${offer.queueId}. Contact ${offer.contactId}.`;
  $('offer').hidden = false;
  $('offer-accept').disabled = false;
  $('offer-decline').disabled = false;
  tick();
  clearInterval(countdownTimer);
  countdownTimer = setInterval(tick, 250);
  const seconds = secondsLeft();
  $('offer-announcer').textContent =
    `New ${channelLabels[channel] ?? channel} contact from queue ${offer.queueId}. ${seconds} seconds to accept. Accept with Alt+Shift+A, decline with Alt+Shift+D.`;
  $('offer-accept').focus();
}

function secondsLeft() {
  return state.offer ? Math.max(0, Math.ceil((Date.parse(state.offer.expiresAt) - Date.now()) / 1000)) : 0;
}

function tick() {
  if (!state.offer) return;
  const seconds = secondsLeft();
  $('offer-countdown').textContent = seconds > 0 ? `${seconds} s left` : 'Expiring…';
  const total = state.offer.totalSeconds ??= Math.max(seconds, 1);
  $('offer-bar').style.width = `${Math.min(100, (seconds / total) * 100)}%`;
}

function hideOffer(reason) {
  clearInterval(countdownTimer);
  const offer = state.offer;
  state.offer = null;
  $('offer-announcer').textContent = '';
  const hadFocus = $('offer').contains(document.activeElement);
  $('offer').hidden = true;
  if (hadFocus) $('main').focus();
  if (!offer || !reason) return;
  const what = `The offer of ${channelLabels[offer.channel] ?? offer.channel} contact ${offer.contactId}`;
  const messages = {
    expired: `${what} expired before it was accepted; it went back to the queue.`,
    declined: `${what} was declined.`,
    reassigned: `${what} was reassigned by a supervisor.`,
    accepted: `${what} was accepted.`,
    withdrawn: `${what} was withdrawn.`,
  };
  say(messages[reason] ?? messages.withdrawn);
}

// Polling saw the offer vanish: find out why from the contact (an expired offer lists this agent in declinedBy).
async function offerGoneWithoutUs(offer) {
  if (state.offer?.contactId !== offer.contactId) return;
  let reason = 'withdrawn';
  try {
    const { contact } = await api.get(`/api/contacts/${enc(offer.contactId)}`);
    if (contact.agentId === me()) reason = 'accepted';
    else if ((contact.declinedBy ?? []).includes(me())) reason = 'expired';
    else if (contact.offeredTo && contact.offeredTo !== me()) reason = 'reassigned';
  } catch { /* keep "withdrawn" */ }
  if (state.offer?.contactId === offer.contactId) hideOffer(reason);
}

async function decide(decision) {
  const offer = state.offer;
  if (!offer || state.deciding) return;
  state.deciding = offer.contactId;
  $('offer-accept').disabled = true;
  $('offer-decline').disabled = true;
  try {
    clearError();
    await api.post(`/api/agents/${enc(me())}/offers/${enc(offer.contactId)}/${decision}`, {});
    hideOffer(null);
    if (decision === 'accept') {
      say(`Accepted ${channelLabels[offer.channel] ?? offer.channel} contact ${offer.contactId}.`);
      await refreshAgent();
      await refreshInbox();
      await selectContact(offer.contactId, { focus: true });
    } else {
      say(`Declined contact ${offer.contactId}.`);
    }
  } catch (error) {
    // 409: the offer is stale (expired, reassigned): say so plainly and drop the toast.
    hideOffer(null);
    fail(error instanceof ApiError && error.status === 409
      ? `Too late to ${decision} contact ${offer.contactId}: ${error.message}`
      : `Could not ${decision} the offer: ${error.message}`);
    await refreshAgent();
  } finally {
    state.deciding = null;
  }
}

$('offer-accept').addEventListener('click', () => decide('accept'));
$('offer-decline').addEventListener('click', () => decide('decline'));

document.addEventListener('keydown', (event) => {
  if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
  const key = event.code.replace('Key', '').toLowerCase();
  const actions = {
    a: () => decide('accept'),
    d: () => decide('decline'),
    i: () => ($('inbox').querySelector('button') ?? $('inbox-title')).focus(),
    r: () => { if (!$('contact').hidden) $('reply-text').focus(); },
    w: () => { if (!$('contact').hidden) openWrapUp(); },
  };
  if (actions[key] && state.session) {
    event.preventDefault();
    actions[key]();
  }
});

// ---- the inbox ------------------------------------------------------------------------------------------------
// Loads run one after another, and each call gets a load that starts after it: a caller never sees an older inbox.
let inboxRun = Promise.resolve();

function refreshInbox() {
  const load = () => loadContacts()
    .then((contacts) => { state.contacts = contacts; return renderInbox(); })
    .catch((error) => fail(`Contacts: ${error.message}`));
  inboxRun = inboxRun.then(load, load);
  return inboxRun;
}

// {agentId, contacts: [{contactId, channel, queueId, status, customerId, conversationId, callId, assignedAt}]}
async function loadContacts() {
  const inbox = await api.get(`/api/agents/${enc(me())}/contacts`);
  return inbox?.contacts ?? [];
}

async function customer(customerId, { fresh = false } = {}) {
  if (!customerId) return null;
  if (fresh || !state.customers.has(customerId)) {
    try {
      state.customers.set(customerId, await api.get(`/api/customers/${enc(customerId)}`));
    } catch (error) {
      if (!isMissing(error)) throw error;
      state.customers.set(customerId, null);
    }
  }
  return state.customers.get(customerId);
}

function customerName(view, contact) {
  const c = view?.customer;
  if (c?.name) return c.name;
  const identity = c?.identities?.[0];
  return identity ? identity.replace(/^[a-z]+:/, '') : (contact.customerId ?? `contact ${contact.contactId}`);
}

async function renderInbox() {
  const list = $('inbox');
  const items = await Promise.all(state.contacts.map(async (contact) => {
    const view = await customer(contact.customerId).catch(() => null);
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.contactId = contact.contactId;
    button.dataset.testid = 'inbox-item';
    if (contact.contactId === state.selected) button.setAttribute('aria-current', 'true');
    const name = document.createElement('span');
    name.textContent = customerName(view, contact);
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = `${channelLabels[channelOf(contact.channel)] ?? contact.channel} · queue ${contact.queueId}`;
    button.append(channelBadge(contact.channel), name, meta);
    button.addEventListener('click', () => selectContact(contact.contactId, { focus: true }));
    li.append(button);
    return li;
  }));
  list.replaceChildren(...items);
  $('inbox-empty').hidden = items.length > 0;
  if (state.selected && !state.contacts.some((c) => c.contactId === state.selected)) {
    state.selected = null;
    $('contact').hidden = true;
  }
}

// ---- one contact: case, timeline, reply, call, notes, wrap-up ------------------------------------------------
function currentContact() {
  return state.contacts.find((c) => c.contactId === state.selected) ?? null;
}

async function selectContact(contactId, { focus = false } = {}) {
  state.selected = contactId;
  const contact = currentContact();
  if (!contact) return;
  for (const b of $('inbox').querySelectorAll('button')) {
    if (b.dataset.contactId === contactId) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
  }
  const view = await customer(contact.customerId, { fresh: true }).catch(() => null);
  const conversation = view?.openConversation ?? null;
  contact.conversationId ??= conversation?.id ?? null;
  $('contact').hidden = false;
  $('contact-title').replaceChildren(channelBadge(contact.channel), ` ${customerName(view, contact)}`);
  renderCase(contact, view);
  const lastChannel = channelOf(conversation?.lastChannel);
  $('reply-channel').value = ['sms', 'email'].includes(lastChannel) ? lastChannel : (channelOf(contact.channel) === 'email' ? 'email' : 'sms');
  $('reply-form').hidden = !contact.conversationId;
  $('call-controls').hidden = channelOf(contact.channel) !== 'voice';
  await loadDispositions(contact.queueId);
  await refreshTimeline();
  if (focus) $('contact-title').focus();
}

function renderCase(contact, view) {
  const c = view?.customer;
  const conversation = view?.openConversation;
  const rows = [
    ['Customer', c ? `${c.name ?? ''} ${(c.identities ?? []).map((i) => i.replace(/^[a-z]+:/, '')).join(', ')}`.trim() : contact.customerId ?? '—'],
    ['Case', conversation ? `${conversation.token ?? conversation.id} · ${String(conversation.status).toLowerCase()}${conversation.subject ? ` · ${conversation.subject}` : ''}` : 'no open case'],
    ['Contact', `${contact.contactId} · ${channelLabels[channelOf(contact.channel)] ?? contact.channel} · queue ${contact.queueId}`],
  ];
  $('case').replaceChildren(...rows.flatMap(([term, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  }));
}

async function refreshTimeline() {
  const contact = currentContact();
  if (!contact?.customerId) {
    $('timeline').replaceChildren();
    return;
  }
  let timeline;
  try {
    timeline = await api.get(`/api/customers/${enc(contact.customerId)}/timeline`);
  } catch (error) {
    fail(`Timeline: ${error.message}`);
    return;
  }
  if (currentContact() !== contact) return;
  const entries = [...(timeline.entries ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const list = $('timeline');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
  list.replaceChildren(...entries.map(renderEntry));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function renderEntry(entry) {
  const li = document.createElement('li');
  const direction = String(entry.direction).toLowerCase();
  const kind = String(entry.kind ?? 'Communication').toLowerCase();
  // Notes and wrap-ups are agents' records, never seen by the customer: shown apart, and labelled so in words.
  const internal = entry.internal === true || kind !== 'communication';
  li.className = internal ? 'internal' : direction;
  li.dataset.testid = 'timeline-entry';
  const head = document.createElement('div');
  head.className = 'entry-head';
  const who = document.createElement('span');
  if (internal) {
    who.textContent = `${kind === 'wrapup' ? 'Wrap-up' : 'Internal note'}${entry.agentId ? ` by ${entry.agentId}` : ''} (not sent to the customer)`;
  } else {
    who.textContent = direction === 'inbound' ? `From ${entry.from ?? 'customer'}` : `To ${entry.to ?? 'customer'}${entry.agentId ? ` by ${entry.agentId}` : ''}`;
  }
  const when = document.createElement('time');
  when.dateTime = entry.at;
  when.textContent = new Date(entry.at).toLocaleString();
  if (entry.channel) head.append(channelBadge(entry.channel, { visibleLabel: true }));
  head.append(who, when);
  if (entry.status) {
    const status = document.createElement('span');
    status.textContent = `· ${entry.status}`;
    head.append(status);
  }
  li.append(head);
  if (entry.subject) {
    const subject = document.createElement('strong');
    subject.textContent = entry.subject;
    li.append(subject);
  }
  const text = document.createElement('p');
  text.className = 'entry-text';
  text.textContent = entry.text ?? '';
  li.append(text);
  return li;
}

$('reply-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const contact = currentContact();
  if (!contact?.conversationId) return;
  const channel = $('reply-channel').value;
  const entry = await attempt(() => api.post(`/api/conversations/${enc(contact.conversationId)}/replies`,
    { agentId: me(), text: $('reply-text').value, channel }), 'Reply');
  if (entry) {
    $('reply-text').value = '';
    say(`Reply sent by ${channelLabels[channel]}.`);
    await refreshTimeline();
  }
});

for (const button of document.querySelectorAll('[data-call]')) {
  button.addEventListener('click', async () => {
    const contact = currentContact();
    if (!contact) return;
    const action = button.dataset.call;
    const body = { agentId: me() };
    if (action === 'transfer' || action === 'add') {
      const target = $('call-target').value.trim();
      const kind = $('call-target-kind').value;
      if (!target) {
        fail('Name the queue, agent or phone number first.');
        $('call-target').focus();
        return;
      }
      if (kind === 'queue') body.queueId = target;
      else if (kind === 'agent') body.targetAgentId = target;
      else body.phoneNumber = target;
    }
    const callId = contact.callId ?? contact.contactId;
    if (await attempt(() => api.post(`/api/calls/${enc(callId)}/${action}`, body), `Call ${action}`) !== undefined) {
      say(`Call: ${action} requested.`);
    }
  });
}

async function loadDispositions(queueId) {
  const select = $('disposition');
  let codes = [];
  let required = false;
  try {
    // {queueId, required, dispositions: [{code, label}]}
    const answer = await api.get(`/api/dispositions?queueId=${enc(queueId)}`);
    codes = (answer?.dispositions ?? []).map((d) => ({ code: d.code, label: d.label ?? d.code }));
    required = answer?.required === true;
  } catch (error) {
    if (!isMissing(error)) fail(`Dispositions: ${error.message}`);
  }
  const none = document.createElement('option');
  none.value = '';
  none.textContent = codes.length ? (required ? 'Choose a disposition (required)' : 'No disposition') : 'No disposition codes for this queue';
  select.replaceChildren(none, ...codes.map(({ code, label }) => {
    const option = document.createElement('option');
    option.value = code;
    option.textContent = label;
    return option;
  }));
  select.required = required;
}

$('notes-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const contact = currentContact();
  if (!contact) return;
  const text = $('note-text').value;
  if (await attempt(() => api.post(`/api/agents/${enc(me())}/contacts/${enc(contact.contactId)}/notes`, { text }), 'Note') !== undefined) {
    $('note-text').value = '';
    say('Note saved.');
  }
});

function openWrapUp() {
  const contact = currentContact();
  if (!contact || $('wrap-up-dialog').open) return;
  $('wrap-up-about').textContent = `${channelLabels[channelOf(contact.channel)] ?? contact.channel} contact ${contact.contactId}, queue ${contact.queueId}.`;
  $('wrap-up-dialog').showModal();
  $('disposition').focus();
}

$('wrap-up-open').addEventListener('click', openWrapUp);
$('wrap-up-cancel').addEventListener('click', () => $('wrap-up-dialog').close());
// Closing the dialog (Cancel, Esc, or completing) returns focus to where the agent was.
$('wrap-up-dialog').addEventListener('close', () => {
  if (!$('contact').hidden) $('wrap-up-open').focus();
});

$('wrap-up-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const contact = currentContact();
  if (!contact) return;
  const body = {};
  if ($('disposition').value) body.disposition = $('disposition').value;
  if ($('wrap-up-notes').value.trim()) body.notes = $('wrap-up-notes').value.trim();
  const done = await attempt(() => api.post(`/api/agents/${enc(me())}/contacts/${enc(contact.contactId)}/complete`, body), 'Wrap-up');
  if (done !== undefined) {
    $('wrap-up-notes').value = '';
    state.selected = null;
    $('contact').hidden = true;
    $('wrap-up-dialog').close();
    say(`Contact ${contact.contactId} completed${body.disposition ? ` as ${body.disposition}` : ''}.`);
    await refreshAgent();
    await refreshInbox();
    $('main').focus();
  }
});

// ---- tabs -----------------------------------------------------------------------------------------------------
const board = createBoard({ api, say, fail });
const tabs = [$('tab-inbox'), $('tab-board')];

function selectTab(tab) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !selected;
  }
  tab.focus();
  if (tab === $('tab-board')) board.refresh();
}

for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const visible = tabs.filter((t) => !t.hidden);
    const next = visible[(visible.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : visible.length - 1)) % visible.length];
    selectTab(next);
  });
}

if (isTeamsHost()) document.documentElement.classList.add('in-teams');
start();
