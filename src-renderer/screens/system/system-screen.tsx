import { useEffect } from 'react';
import { useDevicesStore } from '../../stores/devices-store.js';
import { useRuntimeStore } from '../../stores/runtime-store.js';
import { useWorkspaceStore } from '../../stores/workspace-store.js';
import { BackendsCard } from './backends-card.js';
import { RuntimeCard } from './runtime-card.js';
import { WorkspaceCard } from './workspace-card.js';

/** What this machine offers and where the workstation keeps things: answers before a bug report. */
export function SystemScreen() {
  const loadDevices = useDevicesStore((s) => s.load);
  const loadWorkspace = useWorkspaceStore((s) => s.load);
  const loadRuntime = useRuntimeStore((s) => s.load);
  useEffect(() => {
    void loadDevices();
    void loadWorkspace();
    void loadRuntime();
  }, [loadDevices, loadWorkspace, loadRuntime]);
  return (
    <div className="screen system-screen">
      <BackendsCard />
      <WorkspaceCard />
      <RuntimeCard />
    </div>
  );
}
