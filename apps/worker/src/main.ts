import { parseWorkerConfig } from "./env";
import { createWorkerExtractor, runWorkerProcess } from "./run";

const config = parseWorkerConfig(process.env, process.argv.slice(2));
runWorkerProcess(config, createWorkerExtractor(config));
