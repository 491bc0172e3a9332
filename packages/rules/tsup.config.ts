import { workspaceBuild } from "../../tsup.workspace";

// Plain ECMAScript with no Node built-ins: the web app bundles the same source.
export default workspaceBuild({ index: "src/index.ts" }, { platform: "neutral" });
