// Every quick-fix provider; each lives in its own fix-*.ts module.
import type { QuickFixProvider } from './fix';
import { CONVERT_FIXES } from './fix-convert';
import { DEFAULT_DENY_FIXES } from './fix-default-deny';
import { DNS_FIXES } from './fix-dns';
import { EXCEPT_FIXES } from './fix-except';
import { NAMESPACE_LABEL_FIXES } from './fix-labels';
import { NAMESPACE_FIXES } from './fix-namespace';
import { POLICY_TYPE_FIXES } from './fix-policy-types';
import { SERVICE_PORT_FIXES } from './fix-service-port';
import { SPLIT_PEER_FIXES } from './fix-split-peer';

export const PROVIDERS: QuickFixProvider[] = [
  DNS_FIXES,
  SPLIT_PEER_FIXES,
  POLICY_TYPE_FIXES,
  NAMESPACE_LABEL_FIXES,
  EXCEPT_FIXES,
  NAMESPACE_FIXES,
  SERVICE_PORT_FIXES,
  DEFAULT_DENY_FIXES,
  CONVERT_FIXES,
];
