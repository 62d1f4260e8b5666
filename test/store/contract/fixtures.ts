/** Fixed instants so outcomes are exact. */
export const T0 = new Date('2024-05-01T10:00:00.000Z');
export const T1 = new Date('2024-05-01T11:00:00.000Z');
export const T2 = new Date('2024-05-01T12:00:00.000Z');
