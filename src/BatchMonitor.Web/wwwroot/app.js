// BatchMonitor's few lines of browser code: theme, charts, log follow (the reconnect dialog has its own: ReconnectModal.razor.js).
// Everything live comes over the Blazor circuit; nothing here asks the server for anything.
(function () {
  "use strict";

  const root = document.documentElement;
  const storageKey = "bm-theme";

  // The choice is "light", "dark" or "system"; the page's colours come from MudBlazor's theme provider, which the
  // layout tells. This keeps the choice (localStorage), the cookie prerendering reads, and the charts in step.
  const theme = {
    systemDark: () => matchMedia("(prefers-color-scheme: dark)").matches,
    set(choice, dark) {
      try {
        if (choice === "system") localStorage.removeItem(storageKey); else localStorage.setItem(storageKey, choice);
      } catch { /* private mode: still switches */ }
      const mode = dark ? "dark" : "light";
      root.setAttribute("data-theme", mode);
      root.setAttribute("data-bs-theme", mode);
      document.cookie = "bm-theme=" + choice + ":" + mode + ";path=/;max-age=31536000;samesite=lax";
      window.dispatchEvent(new CustomEvent("bm:theme", { detail: mode }));
    },
  };

  // ---- charts (uPlot) ----
  const charts = new Map();

  function cssVar(name) {
    return getComputedStyle(root).getPropertyValue(name).trim() || "#888";
  }

  function hhmm(seconds) {
    return new Date(seconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
  }

  function chartOptions(el, data) {
    const axis = cssVar("--mud-palette-text-secondary");
    const grid = cssVar("--mud-palette-lines-default");
    const count = data.series.length;
    const size = count > 1 ? 0.8 / count : 0.6;
    return {
      width: el.clientWidth || 600,
      height: el.clientHeight || 220,
      legend: { show: true, live: true },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
      axes: [
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (u, splits) => splits.map(hhmm) },
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { show: false }, size: 48 },
      ],
      series: [{ label: "Minute", value: (u, v) => (v == null ? "–" : hhmm(v)) }].concat(data.series.map((s, i) => {
        const color = cssVar(s.color);
        return {
          label: s.label,
          stroke: color,
          fill: color,
          width: 0,
          paths: uPlot.paths.bars({ size: [size, 64], align: count > 1 ? (i === 0 ? -1 : 1) : 0 }),
          points: { show: false },
          value: (u, v) => (v == null ? "–" : String(v)),
        };
      })),
    };
  }

  function toColumns(data) {
    return [data.x].concat(data.series.map((s) => s.values));
  }

  const chart = {
    draw(el, data) {
      if (!el || typeof uPlot === "undefined") return;
      const existing = charts.get(el);
      if (existing && existing.seriesCount === data.series.length) {
        existing.data = data;
        existing.plot.setData(toColumns(data));
        return;
      }
      if (existing) existing.plot.destroy();
      const plot = new uPlot(chartOptions(el, data), toColumns(data), el);
      const entry = { plot, data, seriesCount: data.series.length };
      entry.resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: el.clientHeight }));
      entry.resize.observe(el);
      charts.set(el, entry);
    },
    destroy(el) {
      const entry = charts.get(el);
      if (!entry) return;
      entry.resize.disconnect();
      entry.plot.destroy();
      charts.delete(el);
    },
  };

  // A new theme has new colours: draw each chart again.
  window.addEventListener("bm:theme", () => {
    for (const [el, entry] of Array.from(charts)) {
      chart.destroy(el);
      chart.draw(el, entry.data);
    }
  });

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

  window.bm = { theme, chart, log, timeZone };
})();
