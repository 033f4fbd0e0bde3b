export { detectShell, SHELL_MAX_TEXT_CHARS, SHELL_HINTED_TEXT_CHARS, type ShellVerdict } from './shell.ts';
export {
  Renderer,
  DEFAULT_BLOCKED_TYPES,
  type RendererOptions,
  type RenderRequest,
  type RenderResult,
  type DocumentResponse,
} from './renderer.ts';
export {
  launchChromium,
  requireBrowser,
  CHROMIUM_ARGS,
  CHROMIUM_OFFLINE_ARGS,
  DEFAULT_CHROMIUM_PATH,
  type LaunchOptions,
} from './browser.ts';
export { BrowserMissingError, renderError, type RenderFailure } from './errors.ts';
export { renderStep, RENDER_ENGINE, type RenderStepDeps, type RenderOutcome } from './render-step.ts';
