export { CONFIG_NAME, configIssues, configPath, placeConfigs, readConfigs, type ConfigFile } from "./config-files.js";
