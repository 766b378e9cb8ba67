export const ANTHROPIC_MESSAGES_PATHS: readonly string[] = ['/v1/messages'];
