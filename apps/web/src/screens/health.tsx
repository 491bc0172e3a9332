import { useState } from "react";
import { FormError, Spinner } from "../components/form";
import { messageOf } from "../lib/errors";
import { percent } from "../lib/format";
import { trpc } from "../lib/trpc";

const windows: Array<[number, string]> = [
  [15, "Last 15 minutes"],
  [60, "Last hour"],
  [24 * 60, "Last 24 hours"],
  [7 * 24 * 60, "Last 7 days"],
];

function Rate({ label, rate, help }: { label: string; rate: number | null; help: string }) {
  return (
    <div className="metric">
      <div className="metric-head">
        <span className="metric-label">{label}</span>
        <span className="metric-value">{percent(rate)}</span>
      </div>
      <div className="bar" aria-hidden="true">
        <div className="bar-fill" style={{ width: `${Math.round((rate ?? 0) * 100)}%` }} />
      </div>
      <p className="hint">{help}</p>
    </div>
  );
}

/** How the tenant context was resolved for this tenant's requests: coverage, repairs, denials. */
export default function Health() {
  const [windowMinutes, setWindowMinutes] = useState(60);
  const health = trpc.health.tenantContext.useQuery({ windowMinutes }, { refetchInterval: 30_000 });
  return (
    <section className="page" aria-labelledby="health-title">
      <h1 id="health-title">Isolation health</h1>
      <label className="field inline">
        <span>Window</span>
        <select value={windowMinutes} onChange={(e) => setWindowMinutes(Number(e.target.value))}>
          {windows.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {health.isPending ? <Spinner label="Loading…" /> : null}
      {health.isError ? <FormError message={messageOf(health.error)} /> : null}
      {health.data ? (
        <>
          <div className="metrics">
            <Rate
              label="Coverage"
              rate={health.data.coverageRate}
              help="Requests that ran with a validated tenant (ok or repaired)."
            />
            <Rate
              label="Repair rate"
              rate={health.data.repairRate}
              help="Requests whose session had no tenant and needed one chosen."
            />
            <Rate
              label="Repair success"
              rate={health.data.repairSuccessRate}
              help="Of those, the share that found an active membership."
            />
          </div>
          <table className="table narrow">
            <caption>Outcomes in the window</caption>
            <tbody>
              <tr>
                <th scope="row">OK</th>
                <td>{health.data.counts.ok}</td>
              </tr>
              <tr>
                <th scope="row">Repaired</th>
                <td>{health.data.counts.repaired}</td>
              </tr>
              <tr>
                <th scope="row">Repair failed</th>
                <td>{health.data.counts.repairFailed}</td>
              </tr>
              <tr>
                <th scope="row">Denied</th>
                <td>{health.data.counts.denied}</td>
              </tr>
              <tr>
                <th scope="row">Total</th>
                <td>{health.data.counts.total}</td>
              </tr>
            </tbody>
          </table>
          <p className="hint">A chart of these rates over time comes later.</p>
        </>
      ) : null}
    </section>
  );
}
