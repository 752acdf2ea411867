// Loaded right after vendor/echarts.min.js, before the page's chart script.
// The Content-Security-Policy allows no style attribute, and ECharts' HTML tooltips are built from markup
// with style attributes: every chart therefore draws its tooltip on the canvas (renderMode "richText").
(function () {
  if (!window.echarts) { return; }
  var init = window.echarts.init;
  window.echarts.init = function () {
    var chart = init.apply(this, arguments);
    var setOption = chart.setOption;
    chart.setOption = function (option) {
      if (option && option.tooltip) {
        [].concat(option.tooltip).forEach(function (t) {
          if (t && !t.renderMode) { t.renderMode = "richText"; }
        });
      }
      return setOption.apply(this, arguments);
    };
    return chart;
  };
})();

// A chart container whose height the server computed (data-height, in pixels), sized before echarts.init.
window.kechuangSized = function (id) {
  var el = document.getElementById(id);
  if (el && el.dataset.height) { el.style.height = el.dataset.height + "px"; }
  return el;
};
