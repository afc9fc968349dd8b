// BatchMonitor's few lines of browser code: theme, log follow (the reconnect dialog has its own: ReconnectModal.razor.js).
// Everything live comes over the Blazor circuit; nothing here asks the server for anything.
(function () {
  "use strict";

  const root = document.documentElement;
  const storageKey = "bm-theme";

  // The choice is "light", "dark" or "system"; the page's colours come from MudBlazor's theme provider, which the
  // layout tells. This keeps the choice (localStorage) and the cookie prerendering reads in step.
  const theme = {
    systemDark: () => matchMedia("(prefers-color-scheme: dark)").matches,
    set(choice, dark) {
      try {
        if (choice === "system") localStorage.removeItem(storageKey); else localStorage.setItem(storageKey, choice);
      } catch { /* private mode: still switches */ }
      const mode = dark ? "dark" : "light";
      root.setAttribute("data-theme", mode);
      document.cookie = "bm-theme=" + choice + ":" + mode + ";path=/;max-age=31536000;samesite=lax";
      window.dispatchEvent(new CustomEvent("bm:theme", { detail: mode }));
    },
  };

  // ---- log tail: follow new lines unless the reader scrolled up ----
  const log = {
    follow(el) {
      if (!el) return;
      if (!el.dataset.bmFollowing) {
        el.dataset.bmFollowing = "true";
        el.addEventListener("scroll", () => {
          el.dataset.bmPinned = el.scrollHeight - el.scrollTop - el.clientHeight < 24 ? "true" : "false";
        }, { passive: true });
      }
      if (el.dataset.bmPinned !== "false") el.scrollTop = el.scrollHeight;
    },
  };

  function timeZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"; } catch { return "UTC"; }
  }

  window.bm = { theme, log, timeZone };
})();
