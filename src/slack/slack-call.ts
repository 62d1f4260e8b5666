/**
 * One Slack Web API call through the messenger's error mapping: the answer, null for an error code it was told to
 * tolerate, or a thrown SlackCallError classified for the pipeline.
 */
export type SlackCall = <T>(method: string, run: () => Promise<T>, tolerated?: readonly string[]) => Promise<T | null>;
