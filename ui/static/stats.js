// Draws the statistics dashboard's charts from the JSON the page embeds.
(function () {
  "use strict";
  var el = document.getElementById("stats-data");
  if (!el || !window.Chart) { return; }
  var d = JSON.parse(el.textContent);
  var daily = document.getElementById("chart-daily");
  if (daily) {
    new Chart(daily, {
      data: {
        labels: d.labels,
        datasets: [
          { type: "bar", label: d.names.Succeeded, data: d.succeeded, backgroundColor: "#198754", stack: "runs" },
          { type: "bar", label: d.names.Failed, data: d.failed, backgroundColor: "#dc3545", stack: "runs" },
          { type: "bar", label: d.names.Running, data: d.running, backgroundColor: "#0d6efd", stack: "runs" },
          { type: "line", label: d.names.Rate, data: d.rate, borderColor: "#6c757d", yAxisID: "rate", tension: 0.2 }
        ]
      },
      options: {
        responsive: true, animation: false,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          rate: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return v + "%"; } } }
        }
      }
    });
  }
  var classes = document.getElementById("chart-classes");
  if (classes && d.classes) {
    new Chart(classes, {
      type: "doughnut",
      data: { labels: d.classes, datasets: [{ data: d.class_counts, backgroundColor: ["#dc3545", "#fd7e14", "#ffc107", "#6f42c1", "#6c757d"] }] },
      options: { animation: false, plugins: { legend: { position: "bottom" } } }
    });
  }
})();
