import { EmptyState } from '../../components/empty-state.js';
import { formatBytes } from '../../lib/format.js';
import { backendHint } from '../../lib/system-info.js';
import { useDevicesStore } from '../../stores/devices-store.js';

/** Devices and training backends: what this machine trains on, and how to get what is missing. */
export function BackendsCard() {
  const devices = useDevicesStore((s) => s.devices);
  const status = useDevicesStore((s) => s.status);
  const error = useDevicesStore((s) => s.error);
  return (
    <section className="card" data-testid="system-backends">
      <h2 className="card-title">Devices and training backends</h2>
      {status === 'error' ? (
        <EmptyState title="The devices could not be probed." tone="error">
          <p>{error}</p>
        </EmptyState>
      ) : devices === null ? (
        <p className="muted pad">Probing devices…</p>
      ) : (
        <>
          <table className="table table-compact" data-testid="device-list">
            <thead>
              <tr>
                <th>Device</th>
                <th>Id</th>
                <th className="num">Memory</th>
              </tr>
            </thead>
            <tbody>
              {devices.devices.map((d) => (
                <tr key={d.id} data-testid={`device-${d.id}`}>
                  <td>
                    {d.name}
                    {d.cores !== undefined && <span className="muted"> · {d.cores} cores</span>}
                  </td>
                  <td className="mono">{d.id}</td>
                  <td className="num">
                    {d.memory_total_mb === undefined
                      ? '—'
                      : `${formatBytes((d.memory_free_mb ?? 0) * 2 ** 20)} free of ${formatBytes(d.memory_total_mb * 2 ** 20)}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small pad" data-testid="cuda-status">
            {devices.cuda_available
              ? `CUDA ${devices.cuda_version ?? '(version unknown)'} is available.`
              : 'No CUDA GPU found: training runs on the CPU.'}
          </p>
          <table className="table table-compact" data-testid="backend-list">
            <thead>
              <tr>
                <th>Backend</th>
                <th>Package</th>
                <th>State</th>
                <th>How to get it</th>
              </tr>
            </thead>
            <tbody>
              {devices.backends.map((b) => (
                <tr key={b.name} data-testid={`backend-${b.name}`}>
                  <td className="mono">{b.name}</td>
                  <td className="mono">{b.package}</td>
                  <td>
                    <span
                      className={`chip ${b.available ? 'chip-ok' : 'chip-missing'}`}
                      data-testid={`backend-${b.name}-state`}
                    >
                      {b.available ? 'installed' : 'not installed'}
                    </span>
                  </td>
                  <td className="small">
                    {backendHint(b)}
                    {!b.available && b.reason !== null && (
                      <span className="muted block">{b.reason}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
