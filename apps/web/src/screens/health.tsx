import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { LineChart } from "../components/line-chart";
import { FormError, Labelled } from "../components/ui/field";
import { Spinner } from "../components/ui/spinner";
import { messageOf } from "../lib/errors";
import { percent } from "../lib/format";
import { useTRPC } from "../lib/trpc";

const windows: Array<[number, string]> = [
  [15, "Last 15 minutes"],
  [60, "Last hour"],
  [24 * 60, "Last 24 hours"],
  [7 * 24 * 60, "Last 7 days"],
];

const statusText = {
  ok: "Healthy",
  degraded: "Degraded",
  no_traffic: "No traffic",
} as const;

const checkText = {
  coverage: "coverage is not above its target",
  repairRate: "too many requests needed a repair",
  repairSuccess: "too many repairs failed",
} as const;

function Rate(props: { label: string; rate: number | null; target: string; help: string }) {
  const { label, rate, target, help } = props;
  return (
    <div className="metric">
      <div className="metric-head">
        <span className="metric-label">{label}</span>
        <span className="metric-value">{percent(rate)}</span>
      </div>
      <div className="bar" aria-hidden="true">
        <div className="bar-fill" style={{ width: `${Math.round((rate ?? 0) * 100)}%` }} />
      </div>
      <p className="hint">
        Target: {target}. {help}
      </p>
    </div>
  );
}

const timeOf = (windowMinutes: number) => (at: Date) =>
  windowMinutes > 24 * 60
    ? at.toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" })
    : at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });

/** How the tenant context was resolved for this tenant's requests, against the brief's targets. */
export default function Health() {
  const trpc = useTRPC();
  const [windowMinutes, setWindowMinutes] = useState(60);
  const health = useQuery(
    trpc.health.tenantContext.queryOptions({ windowMinutes }, { refetchInterval: 30_000 }),
  );
  const data = health.data;
  return (
    <section className="page" aria-labelledby="health-title">
      <h1 id="health-title">Isolation health</h1>
      <Labelled label="Window" inline>
        <select value={windowMinutes} onChange={(e) => setWindowMinutes(Number(e.target.value))}>
          {windows.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Labelled>
      {health.isPending ? <Spinner label="Loading…" /> : null}
      {health.isError ? <FormError message={messageOf(health.error)} /> : null}
      {data ? (
        <>
          <div className="health-status" role="status">
            <span className={`status status-${data.status}`}>{statusText[data.status]}</span>
            <span className="hint">
              {data.status === "degraded"
                ? `Why: ${data.failing.map((c) => checkText[c]).join("; ")}.`
                : data.status === "ok"
                  ? "Every target is met."
                  : "No requests in this window."}
            </span>
          </div>
          <div className="metrics">
            <Rate
              label="Coverage"
              rate={data.coverageRate}
              target={`above ${percent(data.thresholds.coverageMin)}`}
              help="Requests that arrived with a valid tenant."
            />
            <Rate
              label="Repair rate"
              rate={data.repairRate}
              target={`below ${percent(data.thresholds.repairRateMax)}`}
              help="Requests whose session had no tenant and needed one chosen."
            />
            <Rate
              label="Repair success"
              rate={data.repairSuccessRate}
              target={`above ${percent(data.thresholds.repairSuccessMin)}`}
              help="Of those repairs, the share that found an active membership."
            />
          </div>
          <LineChart
            title="Tenant-context rates over time"
            description={`Coverage, repair rate and repair success per ${Math.round(data.bucketSeconds / 60)}-minute interval; dotted lines mark the targets. Intervals without requests are gaps.`}
            x={data.series.map((p) => p.start)}
            lines={[
              {
                label: "Coverage",
                values: data.series.map((p) => p.coverageRate),
                color: "var(--primary)",
              },
              {
                label: "Repair rate",
                values: data.series.map((p) => p.repairRate),
                color: "var(--danger)",
                dashed: true,
              },
              {
                label: "Repair success",
                values: data.series.map((p) => p.repairSuccessRate),
                color: "var(--ok)",
              },
            ]}
            rules={[
              { value: data.thresholds.coverageMin, label: "coverage target" },
              { value: data.thresholds.repairRateMax, label: "repair rate limit" },
            ]}
            formatX={timeOf(windowMinutes)}
            formatY={percent}
          />
          <table className="table narrow">
            <caption>Outcomes in the window</caption>
            <tbody>
              <tr>
                <th scope="row">OK</th>
                <td>{data.counts.ok}</td>
              </tr>
              <tr>
                <th scope="row">Repaired</th>
                <td>{data.counts.repaired}</td>
              </tr>
              <tr>
                <th scope="row">Repair failed</th>
                <td>{data.counts.repairFailed}</td>
              </tr>
              <tr>
                <th scope="row">Denied</th>
                <td>{data.counts.denied}</td>
              </tr>
              <tr>
                <th scope="row">Total</th>
                <td>{data.counts.total}</td>
              </tr>
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
