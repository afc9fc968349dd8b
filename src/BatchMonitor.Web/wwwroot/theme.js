// Runs in <head>, before anything paints: the theme this browser chose (light, dark, or the system's) and the reader's
// time zone, as cookies the server reads, so a prerendered page is drawn in the right theme and local times.
(function () {
  "use strict";
  var choice = null;
  try { choice = localStorage.getItem("bm-theme"); } catch (e) { }
  if (choice !== "light" && choice !== "dark") choice = "system";
  var dark = choice === "dark" || (choice === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
  try {
    document.cookie = "bm-theme=" + choice + ":" + (dark ? "dark" : "light") + ";path=/;max-age=31536000;samesite=lax";
    document.cookie = "bm-tz=" + encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone) + ";path=/;max-age=31536000;samesite=lax";
  } catch (e) { }
})();
