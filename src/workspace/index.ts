export { engineDeps, findWorkspaceRoot, initWorkspace, openWorkspace, workRootOf, type OpenOptions, type Workspace } from "./workspace.js";
export { CONFIG_FILE, WorkspaceConfigSchema, parseWorkspaceConfig, type WorkspaceConfig } from "./workspace-config.js";
export { lockRun } from "./run-lock.js";
