// The plots of callsim's HTML report (--html). The data is the JSON in #callsim-data; the
// verdict and the checks are already in the page as HTML, so they read without this script.
//
// What the page drew is published in #render-status (JSON, also data-state on the element) for
// the browser test and for a person who wonders why a plot is missing: per plot, per series,
// the points it had, whether uPlot built its path, and the pixels of its colour on the canvas.
(function () {
  "use strict";
  var statusEl = document.getElementById("render-status");
  var status = { state: "loading", plots: [], errors: [] };

  function publish() {
    statusEl.textContent = JSON.stringify(status);
    statusEl.setAttribute("data-state", status.state);
  }

  function fail(message) {
    status.errors.push(String(message));
    status.state = "error";
    publish();
  }
  window.addEventListener("error", function (e) {
    fail(e.message + (e.filename ? " (" + e.filename + ":" + e.lineno + ")" : ""));
  });
  window.addEventListener("unhandledrejection", function (e) {
    fail("unhandled rejection: " + e.reason);
  });
  var consoleError = console.error;
  console.error = function () {
    fail("console.error: " + Array.prototype.join.call(arguments, " "));
    consoleError.apply(console, arguments);
  };
  publish();

  var data = JSON.parse(document.getElementById("callsim-data").textContent);

  var colours = {
    cap: "#d62728",
    gauge: "#ff9f1c",
    admitted: "#1f5fbf",
    connecting: "#8c6bb1",
    rejected: "#e377c2",
    failed: "#b00020",
    completed: "#2ca02c",
    p99: "#1f5fbf",
    max: "#ff7f0e",
    ttfa: "#17becf",
    reply: "#9467bd",
    histogram: "#1f5fbf",
    knee: "#555555",
  };

  function rgb(hex) {
    var n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  // Pixels in the plotting area close to each series' colour: evidence that it is on screen.
  function inkBySeries(u) {
    var box = u.bbox;
    var counts = u.series.map(function () { return 0; });
    if (box.width <= 0 || box.height <= 0) return counts;
    var pixels = u.ctx.getImageData(box.left, box.top, box.width, box.height).data;
    var targets = u.series.map(function (s) {
      return typeof s._stroke === "string" && s._stroke[0] === "#" ? rgb(s._stroke) : null;
    });
    for (var p = 0; p < pixels.length; p += 4) {
      if (pixels[p + 3] < 200) continue;
      for (var i = 1; i < targets.length; i++) {
        var t = targets[i];
        if (!t) continue;
        var d = Math.abs(pixels[p] - t[0]) + Math.abs(pixels[p + 1] - t[1]) +
                Math.abs(pixels[p + 2] - t[2]);
        if (d < 48) counts[i]++;
      }
    }
    return counts;
  }

  function countPoints(values) {
    var n = 0;
    for (var i = 0; i < values.length; i++) if (values[i] != null) n++;
    return n;
  }

  function width(el) {
    return Math.max(320, Math.min(1100, el.clientWidth || 900));
  }

  // One uPlot chart in #id, recorded in the status as it draws.
  function chart(id, opts, columns, note) {
    var el = document.getElementById(id);
    var entry = { id: id, state: "pending", draws: 0, series: [] };
    status.plots.push(entry);
    if (note) {
      var p = document.createElement("p");
      p.className = "note";
      p.textContent = note;
      el.appendChild(p);
    }
    opts.width = width(el);
    opts.height = opts.height || 300;
    opts.hooks = opts.hooks || {};
    opts.hooks.draw = (opts.hooks.draw || []).concat([function (u) {
        var ink = inkBySeries(u);
        entry.draws++;
        entry.series = u.series.slice(1).map(function (s, k) {
          return {
            label: s.label,
            points: countPoints(u.data[k + 1]),
            drawn: s._paths != null,
            ink: ink[k + 1],
          };
        });
        entry.state = "drawn";
        publish();
      }]);
    return new uPlot(opts, columns, el);
  }

  function skip(id, why) {
    var el = document.getElementById(id);
    var p = document.createElement("p");
    p.className = "note";
    p.textContent = why;
    el.appendChild(p);
    status.plots.push({ id: id, state: "skipped", reason: why, series: [] });
  }

  var stepped = uPlot.paths.stepped({ align: 1 });

  // The rows as stepped columns: each value holds over its interval [from, to), so the x values
  // are the rows' starts and the last row's end, which repeats the last value.
  function rows(names) {
    var s = data.series;
    var n = s.from_s.length;
    var columns = [s.from_s.concat(n ? [s.to_s[n - 1]] : [])];
    names.forEach(function (name) {
      columns.push(s[name].concat(n ? [s[name][n - 1]] : []));
    });
    return columns;
  }
  var seconds = { label: "s since start", values: function (u, v) {
    return v.map(function (x) { return +x.toFixed(2) + " s"; });
  } };

  function line(label, colour, extra) {
    var s = { label: label, stroke: colour, width: 2, spanGaps: false };
    for (var k in extra) s[k] = extra[k];
    return s;
  }

  // Gauge vs admitted calls vs cap: a race shows as the gauge above the cap, a leak as a gauge
  // that stays up after the admitted calls have ended.
  function gaugePlot() {
    var steps = data.steps;
    var x, gauge, admitted, note;
    if (steps) {
      x = steps.t;
      gauge = steps.gauge;
      admitted = steps.admitted;
      note = steps.note;
    } else {
      var columns = rows(["gauge_max", "admitted_live_max"]);
      x = columns[0];
      gauge = columns[1];
      admitted = columns[2];
      note = "Per-interval maxima (" + data.series.interval_ms + " ms rows): the run changed " +
             "too often to draw every step.";
    }
    var series = [{ label: "t (s)" }];
    var columns = [x];
    if (data.has_gauge) {
      series.push(line("gauge", colours.gauge, { width: 5, paths: stepped }));
      columns.push(gauge);
    }
    series.push(line("admitted live", colours.admitted, { paths: stepped }));
    columns.push(admitted);
    // Last, so that it stays visible where the gauge and the calls sit at the cap.
    series.push(line("cap", colours.cap, { dash: [8, 5], width: 2 }));
    columns.push(x.map(function () { return data.cap; }));
    if (!data.has_gauge) note = (note ? note + " " : "") + "No gauge was watched (--gauge none).";
    chart("plot-gauge", {
      title: "Gauge vs admitted calls vs cap",
      scales: { x: { time: false }, y: { range: function (u, lo, hi) {
        return [Math.min(0, lo), Math.max(hi, data.cap) + 1];
      } } },
      axes: [seconds, { label: "calls" }],
      series: series,
    }, columns, note);
  }

  function callsPlot() {
    var s = data.series;
    chart("plot-calls", {
      title: "Calls per interval (" + s.interval_ms + " ms)",
      scales: { x: { time: false } },
      axes: [seconds, { label: "calls" }],
      series: [
        { label: "t (s)" },
        line("admitted live (end)", colours.admitted, { paths: stepped }),
        line("connecting (end)", colours.connecting, { paths: stepped }),
        line("rejected", colours.rejected, { paths: stepped }),
        line("failed", colours.failed, { paths: stepped }),
        line("completed", colours.completed, { paths: stepped }),
      ],
    }, rows(["admitted_live", "connecting", "rejected", "failed", "completed"]));
  }

  function latenessPlot() {
    var s = data.series;
    if (countPoints(s.lateness_max_ms) === 0) {
      skip("plot-lateness", "No media frame was sent: no send lateness to plot.");
      return;
    }
    chart("plot-lateness", {
      title: "Send lateness per interval (" + s.interval_ms + " ms)",
      scales: { x: { time: false } },
      axes: [seconds, { label: "ms" }],
      series: [
        { label: "t (s)" },
        line("p99", colours.p99, { paths: stepped }),
        line("max", colours.max, { paths: stepped }),
      ],
    }, rows(["lateness_p99_ms", "lateness_max_ms"]),
    "p99 is within 25 % of the truth (coarse per-interval buckets), max is exact; gaps: no " +
    "frame sent.");
  }

  // What the callers heard, per interval: each row's p95 over the calls greeted and the turns
  // answered in it. Rows without any are gaps, so the values are drawn as points too. A series
  // with no value at all (no turn answered, --caller loop) is left out rather than drawn empty.
  function audioPlot() {
    var s = data.series;
    var wanted = [
      { name: "ttfa_p95_ms", label: "time to first audio p95", colour: colours.ttfa },
      { name: "reply_latency_p95_ms", label: "reply latency p95", colour: colours.reply },
    ].filter(function (w) { return countPoints(s[w.name]) > 0; });
    if (wanted.length === 0) {
      skip("plot-audio", "No call was greeted and no turn answered: nothing heard to plot.");
      return;
    }
    var series = [{ label: "t (s)" }];
    wanted.forEach(function (w) {
      series.push(line(w.label, w.colour, { paths: stepped, points: { show: true, size: 6 } }));
    });
    chart("plot-audio", {
      title: "Time to first audio and reply latency p95 per interval (" + s.interval_ms + " ms)",
      scales: { x: { time: false } },
      axes: [seconds, { label: "ms" }],
      series: series,
    }, rows(wanted.map(function (w) { return w.name; })),
    "Each row's p95 (nearest rank, exact) over the calls first greeted and the turns answered " +
    "in it; gaps: none in that row.");
  }

  function histogramPlot(h, index) {
    var id = "plot-histogram-" + index;
    var holder = document.createElement("div");
    holder.id = id;
    holder.className = "plot";
    document.getElementById("histograms").appendChild(holder);
    if (h.upper_ms.length === 0) {
      skip(id, h.title + ": nothing was measured.");
      return;
    }
    // Below a microsecond is "on time" for a 20 ms frame: one bar, so the log axis starts there.
    var x = [], counts = [];
    h.upper_ms.forEach(function (upper, i) {
      if (upper <= 0.001 && x.length > 0 && x[0] === 0.001) {
        counts[0] += h.counts[i];
      } else {
        x.push(Math.max(upper, 0.001));
        counts.push(h.counts[i]);
      }
    });
    chart(id, {
      title: h.title + " (" + h.count + " values, p50 " + h.p50_ms.toFixed(2) + " ms, p99 " +
             h.p99_ms.toFixed(2) + " ms)",
      height: 220,
      // Padded, so that the outermost bars are not cut in half by the axes.
      scales: { x: { time: false, distr: 3, range: function (u, lo, hi) {
        return [lo / 1.5, hi * 1.5];
      } } },
      axes: [{ label: "ms (bucket upper edge, log scale)" }, { label: "count" }],
      series: [{ label: "ms" }, {
        label: "count",
        stroke: colours.histogram,
        fill: colours.histogram + "55",
        width: 1,
        paths: uPlot.paths.bars({ size: [0.9, 40, 2] }),
        points: { show: false },
      }],
    }, [x, counts]);
  }

  // A vertical dashed line at x = at across the plotting area (drawn under the status hook, in
  // a colour no series uses, so it never counts as a series' ink).
  function verticalMark(at, colour) {
    return function (u) {
      if (at == null) return;
      var px = u.valToPos(at, "x", true);
      var ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(px, u.bbox.top);
      ctx.lineTo(px, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.restore();
    };
  }

  // callsim capacity --html: each threshold's value against the concurrency, the steps met apart
  // from the others, the limit dashed, and the knee (the capacity found) marked.
  function capacityPlots() {
    var holder = document.getElementById("capacity-plots");
    data.thresholds.forEach(function (t, index) {
      var id = "plot-capacity-" + index;
      var el = document.createElement("div");
      el.id = id;
      el.className = "plot";
      holder.appendChild(el);
      var x = data.concurrent;
      var series = [{ label: "calls" }];
      var columns = [x];
      var dots = { points: { show: true, size: 9 } };
      if (countPoints(t.met) > 0) {
        series.push(line("step met", colours.completed, dots));
        columns.push(t.met);
      }
      if (countPoints(t.not_met) > 0) {
        series.push(line("step not met", colours.failed, dots));
        columns.push(t.not_met);
      }
      if (series.length === 1) {
        skip(id, t.expression + ": no step measured it.");
        return;
      }
      series.push(line("limit", colours.cap, { dash: [8, 5] }));
      columns.push(x.map(function () { return t.limit; }));
      var title = t.expression;
      if (data.capacity != null) title += ": capacity " + data.capacity + " calls";
      if (data.stopped_at != null) title += ", not met at " + data.stopped_at;
      chart(id, {
        title: title,
        scales: { x: { time: false }, y: { range: function (u, lo, hi) {
          return [Math.min(0, lo), Math.max(hi, t.limit) * 1.1];
        } } },
        axes: [{ label: "concurrent calls" }, { label: t.unit }],
        series: series,
        hooks: { draw: [verticalMark(data.capacity, colours.knee)] },
      }, columns, "Dashed grey: the capacity found (the last concurrency that met every " +
         "threshold); a value of never (no reply) is not drawn.");
    });
  }

  if (data.kind === "capacity") {
    capacityPlots();
  } else {
    gaugePlot();
    callsPlot();
    latenessPlot();
    audioPlot();
    data.histograms.forEach(histogramPlot);
  }

  // uPlot draws in a microtask after each chart is made; by the next task all have drawn.
  setTimeout(function () {
    if (status.state === "error") return;
    var pending = status.plots.filter(function (p) { return p.state === "pending"; });
    status.state = pending.length === 0 ? "drawn" : "incomplete";
    publish();
  }, 0);
})();
