// The reconnect dialog's behaviour (.NET's ReconnectModal pattern): blazor.web.js says what state the connection is
// in; this opens or closes the dialog, marks <body> while the tab is offline (the top bar's indicator reads it), and
// runs Retry, Resume and Reload.
const modal = document.getElementById("components-reconnect-modal");
const errorUi = document.getElementById("blazor-error-ui");

modal.addEventListener("components-reconnect-state-changed", (event) => {
  const state = event.detail.state;
  const offline = state !== "hide";
  document.body.classList.toggle("bm-offline", offline);
  if (offline && !modal.open) modal.showModal();
  if (state === "hide") {
    modal.close();
    // blazor.web.js also raises its error bar for reconnect attempts that could not connect: noise once back.
    if (errorUi) errorUi.style.display = "none";
  } else if (state === "failed") {
    document.addEventListener("visibilitychange", retryWhenVisible);
  } else if (state === "rejected") {
    // The server no longer knows this tab's circuit and had none set aside (it restarted): read the true state again.
    location.reload();
  }
});

document.getElementById("components-reconnect-button").addEventListener("click", retry);
document.getElementById("components-resume-button").addEventListener("click", resume);
for (const button of modal.querySelectorAll(".bm-reconnect-reload")) button.addEventListener("click", () => location.reload());

// The dialog closes only when the connection is back; Escape would leave a dead page looking live.
modal.addEventListener("cancel", (event) => event.preventDefault());

async function retry() {
  document.removeEventListener("visibilitychange", retryWhenVisible);
  try {
    // true: reconnected; false: the server is back but no longer has this circuit. Then resume it from the state
    // the server set aside when it let the circuit go, or reload.
    if (!(await Blazor.reconnect())) {
      if (await Blazor.resumeCircuit()) modal.close();
      else location.reload();
    }
  } catch {
    // Still no server.
    document.addEventListener("visibilitychange", retryWhenVisible);
  }
}

async function resume() {
  try {
    if (!(await Blazor.resumeCircuit())) location.reload();
  } catch {
    modal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
  }
}

async function retryWhenVisible() {
  if (document.visibilityState === "visible") await retry();
}
