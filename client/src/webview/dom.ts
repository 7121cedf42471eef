// The DOM around the graph: the details panel, the namespace filter and the text-only list of what
// is drawn (for tests and screen readers). Every label is set with textContent, never as markup.
import type { JsonLocation } from '../../../server/src/protocol';
import type { EdgeDetails } from './graph-model';
import type { DrawnElement } from './graph-view';

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

export function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`missing #${id}`);
  return found as T;
}

/** Shows the rules behind an edge (or a node's summary) with links that open the YAML. */
export function showDetails(
  panel: HTMLElement,
  details: EdgeDetails | undefined,
  open: (location: JsonLocation) => void,
): void {
  panel.replaceChildren();
  panel.hidden = details === undefined;
  if (!details) return;
  panel.append(element('h2', details.title), element('p', details.verdict, 'verdict'));
  for (const side of details.sides) {
    const section = element('section');
    section.append(element('h3', side.heading), element('p', side.summary));
    if (side.links.length > 0) {
      const list = element('ul');
      for (const link of side.links) {
        const item = element('li');
        if (link.location) {
          const anchor = element('a', link.text);
          anchor.href = '#';
          anchor.title = `Open ${link.location.uri}:${link.location.line}`;
          const location = link.location;
          anchor.addEventListener('click', (event) => {
            event.preventDefault();
            open(location);
          });
          item.append(anchor);
        } else {
          item.textContent = link.text;
        }
        list.append(item);
      }
      section.append(list);
    }
    panel.append(section);
  }
}

/** One checkbox per namespace; unchecked ones are hidden from the graph. */
export function showNamespaceFilter(
  container: HTMLElement,
  namespaces: string[],
  hidden: readonly string[],
  onChange: (hidden: string[]) => void,
): void {
  container.replaceChildren();
  const boxes: [string, HTMLInputElement][] = [];
  for (const namespace of namespaces) {
    const label = element('label');
    const box = element('input');
    box.type = 'checkbox';
    box.checked = !hidden.includes(namespace);
    box.dataset.namespace = namespace;
    box.addEventListener('change', () => onChange(boxes.filter(([, b]) => !b.checked).map(([n]) => n)));
    boxes.push([namespace, box]);
    label.append(box, document.createTextNode(` ${namespace}`));
    container.append(label);
  }
}

/** A hidden, text-only mirror of the drawn graph: what tests read and assistive tools can use. */
export function mirrorElements(list: HTMLElement, drawn: DrawnElement[]): void {
  const items = drawn.map((e) => {
    const item = element('li', e.label);
    for (const [key, value] of Object.entries(e)) {
      if (key !== 'label' && value !== undefined) item.dataset[key] = String(value);
    }
    return item;
  });
  list.replaceChildren(...items);
}

/** Buttons under the details (expand a namespace, focus a workload…). */
export function showActions(panel: HTMLElement, actions: { label: string; run: () => void }[]): void {
  if (actions.length === 0) return;
  const bar = element('div', undefined, 'actions');
  for (const action of actions) {
    const button = element('button', action.label);
    button.type = 'button';
    button.addEventListener('click', action.run);
    bar.append(button);
  }
  panel.append(bar);
}

/** The search box's completions: every workload id. */
export function showWorkloadNames(list: HTMLElement, ids: string[]): void {
  list.replaceChildren(
    ...ids.sort().map((id) => {
      const option = element('option');
      option.value = id;
      return option;
    }),
  );
}
