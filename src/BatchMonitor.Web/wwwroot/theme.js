// Runs in <head>, before anything paints: the theme this browser chose (or the system's), and the reader's time zone
// for the server (a cookie the pages read to show local times).
(function () {
  "use strict";
  var theme = null;
  try { theme = localStorage.getItem("bm-theme"); } catch (e) { }
  if (theme !== "light" && theme !== "dark") theme = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  document.documentElement.setAttribute("data-bs-theme", theme);
  try { document.cookie = "bm-tz=" + encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone) + ";path=/;max-age=31536000;samesite=lax"; } catch (e) { }
})();
