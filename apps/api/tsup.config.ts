import { workspaceBuild } from "../../tsup.workspace";

export default workspaceBuild({ main: "src/main.ts" });
