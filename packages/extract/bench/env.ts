// The bench's one reading of the environment: what the native tesseract child inherits.
export function inheritedEnvironment(): NodeJS.ProcessEnv {
  return { ...process.env };
}
