export declare const MALLOC_TUNABLES: string;
export declare function serverEnv(env: NodeJS.ProcessEnv | Record<string, string>): Record<string, string | undefined>;
