// Channel icons: inline SVG, hidden from screen readers, always beside a text label.
const paths = {
  sms: '<path d="M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><path d="M7 9h10M7 12h6" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>',
  email: '<rect x="2" y="5" width="20" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="2"/><path d="M3 7l9 6 9-6" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>',
  voice: '<path d="M6.6 2.8l2.5 2.5a1.5 1.5 0 0 1 0 2.1L7.6 8.9a12 12 0 0 0 7.5 7.5l1.5-1.5a1.5 1.5 0 0 1 2.1 0l2.5 2.5a1.5 1.5 0 0 1 0 2.1l-1.6 1.6c-1 1-2.6 1.2-3.9.6A20 20 0 0 1 2.3 8.3c-.6-1.3-.4-2.9.6-3.9l1.6-1.6a1.5 1.5 0 0 1 2.1 0z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>',
  chat: '<path d="M3 5h14v9H8l-5 4z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><path d="M19 9h2v9l-3-2h-7" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>',
};

export const channelLabels = { sms: 'SMS', email: 'Email', voice: 'Call', chat: 'Chat' };

export function channelOf(value) {
  return String(value ?? '').toLowerCase();
}

/** A span with the channel's icon (decorative) and its name for screen readers. */
export function channelBadge(channel, { visibleLabel = false } = {}) {
  const name = channelOf(channel);
  const badge = document.createElement('span');
  badge.className = `channel-icon channel-${name}`;
  badge.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${paths[name] ?? paths.chat}</svg>`;
  const label = document.createElement('span');
  label.textContent = channelLabels[name] ?? name;
  if (!visibleLabel) label.className = 'visually-hidden';
  badge.append(' ', label);
  return badge;
}
