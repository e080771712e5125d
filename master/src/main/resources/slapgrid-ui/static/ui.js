// The master's web UI: the little behaviour htmx attributes do not give. No inline script
// anywhere (the Content-Security-Policy forbids them); this file and the WebJars are all.
(function () {
  "use strict";

  // Live status: the dot in the header says whether the event stream is connected.
  document.addEventListener("htmx:sseOpen", function () { setLive("on"); });
  document.addEventListener("htmx:sseError", function () { setLive("off"); });
  function setLive(state) {
    var dot = document.getElementById("live-status");
    if (dot) {
      dot.className = "live live-" + state;
      dot.title = state === "on" ? "live updates on" : "live updates interrupted: reconnecting";
      document.body.setAttribute("data-live", state);
    }
  }

  // A one-time login link (/ui/login#once=TOKEN): the token is in the fragment, which no request
  // carries; it is taken out of the address bar and posted once, same-origin, like the login form.
  // (On the login page already, following the link changes only the fragment: hashchange.)
  function redeemLoginLink() {
    var form = document.getElementById("once-form");
    if (form && location.hash.indexOf("#once=") === 0) {
      document.getElementById("once").value = decodeURIComponent(location.hash.substring(6));
      history.replaceState(null, "", location.pathname);
      form.submit();
    }
  }
  document.addEventListener("DOMContentLoaded", redeemLoginLink);
  window.addEventListener("hashchange", redeemLoginLink);

  // Relative times stay true without a reload; the absolute time stays in the title.
  function relative(iso) {
    var s = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
    if (s < 10) { return "just now"; }
    if (s < 60) { return s + " s ago"; }
    if (s < 3600) { return Math.floor(s / 60) + " min ago"; }
    if (s < 86400) { return Math.floor(s / 3600) + " h ago"; }
    return Math.floor(s / 86400) + " d ago";
  }
  setInterval(function () {
    document.querySelectorAll("time[datetime]").forEach(function (t) {
      if (t.getAttribute("datetime")) { t.textContent = relative(t.getAttribute("datetime")); }
    });
  }, 30000);

  // A plain form that asks first (data-confirm): a plain POST, so a refusal comes back as the
  // cluster's page with the API's message, as for grow and shrink (htmx would drop a 409's body).
  document.addEventListener("submit", function (e) {
    var ask = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) {
      e.preventDefault();
    }
  });

  // Keyboard: "/" jumps to the search box where there is one.
  document.addEventListener("keydown", function (e) {
    var q = document.getElementById("q");
    if (e.key === "/" && q && document.activeElement !== q && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
      e.preventDefault();
      q.focus();
    }
  });

  // The bangs chart of the overview (uPlot), redrawn when the live feed reports a bang.
  function drawChart() {
    var el = document.getElementById("bang-chart");
    if (!el || typeof uPlot === "undefined") { return; }
    fetch(el.getAttribute("data-src"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        el.textContent = "";
        var width = Math.max(280, el.clientWidth || 600);
        new uPlot({
          width: width, height: 160,
          series: [{}, { label: "bangs per hour", stroke: "#c0392b", fill: "rgba(192,57,43,0.15)" }],
          axes: [{}, { size: 40 }],
          scales: { y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } }
        }, [d.t, d.bangs], el);
      })
      .catch(function () { el.textContent = "chart unavailable"; });
  }
  document.addEventListener("DOMContentLoaded", drawChart);

  // A cluster's metric chart (uPlot): a line per member, a dashed line per policy threshold.
  var COLOURS = ["#2c6fbb", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#c0392b", "#2c3e50"];
  function drawMetricChart() {
    var el = document.getElementById("metric-chart");
    if (!el || typeof uPlot === "undefined") { return; }
    var metric = el.getAttribute("data-metric");
    fetch(el.getAttribute("data-src") + encodeURIComponent(metric), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        el.textContent = "";
        var series = [{}], data = [d.t];
        d.series.forEach(function (s, k) {
          series.push({ label: s.label, stroke: COLOURS[k % COLOURS.length], spanGaps: true });
          data.push(s.values);
        });
        d.thresholds.forEach(function (th) {
          series.push({ label: th.label + " " + th.value, stroke: "#c0392b", dash: [6, 4], width: 1 });
          data.push(d.t.map(function () { return th.value; }));
        });
        new uPlot({ width: Math.max(280, el.clientWidth || 600), height: 200, series: series, axes: [{}, { size: 50 }] },
          data, el);
        el.setAttribute("data-drawn", String(d.series.length));
      })
      .catch(function () { el.textContent = "chart unavailable"; });
  }
  document.addEventListener("DOMContentLoaded", drawMetricChart);
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".metric-choice");
    var el = document.getElementById("metric-chart");
    if (b && el) { el.setAttribute("data-metric", b.getAttribute("data-metric")); drawMetricChart(); }
  });
  setInterval(drawMetricChart, 30000);
  document.addEventListener("htmx:sseMessage", function (e) {
    if (e.detail && e.detail.type === "change" && /bang/.test(e.detail.data || "")) { drawChart(); }
  });
})();
