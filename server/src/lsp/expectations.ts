// The request behind "Record Connectivity as Expectations": the core writes the document.
import type { Connection } from 'vscode-languageserver/node';
import type { LanguageService } from '../core/index';
import {
  RECORD_EXPECTATIONS,
  type RecordExpectationsParams,
  type RecordExpectationsResult,
} from '../protocol';
import { runSafe } from './run-safe';

export function registerExpectationRequests(connection: Connection, service: LanguageService): void {
  connection.onRequest(RECORD_EXPECTATIONS, (params: RecordExpectationsParams, token) =>
    runSafe(connection, 'recordExpectations', token, null as RecordExpectationsResult | null, () => {
      const namespaces = Array.isArray(params?.namespaces) ? params.namespaces.map(String) : [];
      return service.recordExpectations(namespaces);
    }),
  );
}
