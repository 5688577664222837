/** The part of `cli-progress` (which ships no types) the CLI uses. */
declare module 'cli-progress' {
  interface BarOptions {
    format?: string;
    stream?: NodeJS.WritableStream;
    clearOnComplete?: boolean;
    hideCursor?: boolean;
    noTTYOutput?: boolean;
  }
  interface Preset {
    readonly barCompleteChar: string;
    readonly barIncompleteChar: string;
  }
  export class SingleBar {
    constructor(options: BarOptions, preset?: Preset);
    start(total: number, value: number, payload?: Record<string, unknown>): void;
    update(value: number, payload?: Record<string, unknown>): void;
    setTotal(total: number): void;
    stop(): void;
  }
  export const Presets: { readonly shades_classic: Preset };
  const cliProgress: { SingleBar: typeof SingleBar; Presets: typeof Presets };
  export default cliProgress;
}
