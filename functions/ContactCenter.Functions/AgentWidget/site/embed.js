// Embeds the agent console in any page:
//   <div id="agent-console"></div>
//   <script src="https://<app>/agent/embed.js" data-target="#agent-console" data-height="720px"></script>
// The console runs in an iframe from its own origin, so the host page's scripts and styles cannot reach it.
(function () {
  const script = document.currentScript;
  const consoleUrl = new URL('./', script.src);
  const target = document.querySelector(script.dataset.target || 'body');
  const frame = document.createElement('iframe');
  frame.src = consoleUrl.href;
  frame.title = 'Agent console';
  frame.allow = 'microphone; camera; clipboard-write';
  frame.style.width = '100%';
  frame.style.height = script.dataset.height || '720px';
  frame.style.border = '0';
  target.append(frame);
})();
