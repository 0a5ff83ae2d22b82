import Metrics
import Prometheus

/// The Prometheus registry `/metrics` reads: swift-metrics is bootstrapped with its factory once per
/// process, so HoSo's own counters (ingest, HTTP) all land here.
public final class MetricsExport: Sendable {
    let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Makes swift-metrics report to this registry (once per process).
    public func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// The text exposition format.
    func text() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
