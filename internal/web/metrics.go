package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the server's Prometheus metrics in a registry of its own
// (no global registry), so two servers in one test process do not clash.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	errors   *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	fast     prometheus.Counter
}

// NewMetrics creates the registry with request metrics and the Go runtime
// and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongkai_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gongkai_http_errors_total", Help: "HTTP responses with a 5xx status, by route pattern.",
		}, []string{"route"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "gongkai_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		fast: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gongkai_http_fast_answers_total", Help: "Cached pages answered by the fast path, before net/http (also counted in gongkai_http_requests_total).",
		}),
	}
	m.reg.MustRegister(m.requests, m.errors, m.latency, m.fast,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Register adds further collectors (database pool statistics, job queues).
func (m *Metrics) Register(c prometheus.Collector) error { return m.reg.Register(c) }

func (m *Metrics) observe(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	if status >= 500 {
		m.errors.WithLabelValues(route).Inc()
	}
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
