// The status bar item: "NetPol: 12 policies, 3 problems", from the server's analysis-state notification.
import * as vscode from 'vscode';
import type { AnalysisStateParams } from '../../server/src/protocol';
import { statusText, statusTooltip } from './status-text';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'netpolLens.status',
    vscode.StatusBarAlignment.Left,
    10,
  );

  constructor() {
    this.item.name = 'NetPol Lens';
    this.item.command = 'netpolLens.showGraph';
  }

  starting(): void {
    this.item.text = '$(sync~spin) NetPol';
    this.item.tooltip = 'NetPol Lens: starting the language server…';
    this.item.backgroundColor = undefined;
    this.item.command = 'netpolLens.showGraph';
    this.item.show();
  }

  update(state: AnalysisStateParams): void {
    const icon =
      state.problems.error > 0 ? '$(error)' : state.problems.warning > 0 ? '$(warning)' : '$(shield)';
    this.item.text = `${icon} ${statusText(state)}`;
    this.item.tooltip = statusTooltip(state);
    this.item.backgroundColor = undefined;
    this.item.command = 'netpolLens.showGraph';
    this.item.show();
  }

  stopped(): void {
    this.item.text = '$(debug-disconnect) NetPol: stopped';
    this.item.tooltip = 'The NetPol Lens server is not running. Click to restart it.';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.command = 'netpolLens.restartServer';
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
