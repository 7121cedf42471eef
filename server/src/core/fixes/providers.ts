import type { QuickFixProvider } from './fix';

export const PROVIDERS: QuickFixProvider[] = [];
