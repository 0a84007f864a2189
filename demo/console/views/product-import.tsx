/** CSV / JSON upload (file input or drag-and-drop) to `POST /api/products/import`, with the per-row report. */
import { useState } from 'preact/hooks';
import type { Translator } from '../../../src/index.js';
import { useStore } from '../lib/use-store.js';
import { $import, clearImport, importCatalogueFile } from '../stores/catalogue.js';

export function ProductImport({ tr }: { tr: Translator }) {
  const state = useStore($import);
  const [over, setOver] = useState(false);
  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) void importCatalogueFile(file);
  };
  const report = state.report;
  return (
    <section class="card import" aria-labelledby="import-title" data-testid="product-import">
      <h2 id="import-title" class="card__title">
        {tr.t('console.import.title')}
      </h2>
      <div
        class={`dropzone${over ? ' dropzone--over' : ''}`}
        data-testid="product-import-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          take(e.dataTransfer?.files);
        }}
      >
        <p class="dropzone__text">{tr.t('console.import.drop')}</p>
        <label class="btn btn--quiet btn--small dropzone__pick">
          {tr.t('console.import.choose')}
          <input
            type="file"
            class="visually-hidden"
            accept=".csv,.json,text/csv,application/json"
            data-testid="product-import-file"
            disabled={state.busy}
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              take(input.files);
              input.value = '';
            }}
          />
        </label>
        <p class="field__hint">{tr.t('console.import.hint')}</p>
      </div>
      {state.busy && (
        <p class="import__status" role="status" data-testid="product-import-busy">
          {tr.t('console.import.busy', { name: state.fileName ?? '' })}
        </p>
      )}
      {state.error && (
        <p class="form-error" role="alert" data-testid="product-import-error" data-code={state.error.code}>
          {tr.t('console.import.refused', { reason: state.error.message })}
        </p>
      )}
      {report && (
        <div class="import__report" data-testid="product-import-report" data-created={report.created} data-updated={report.updated} data-failed={report.errors.length}>
          <p class="import__counts" role="status">
            {tr.t('console.import.counts', { created: report.created, updated: report.updated, failed: report.errors.length })}
          </p>
          {report.errors.length > 0 && (
            <table class="table import__errors" data-testid="product-import-errors">
              <thead>
                <tr>
                  <th>{tr.t('console.import.row')}</th>
                  <th>{tr.t('console.import.product')}</th>
                  <th>{tr.t('console.import.field')}</th>
                  <th>{tr.t('console.import.message')}</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e, i) => (
                  <tr key={`${e.row}:${i}`} data-testid="product-import-error-row" data-row={e.row} data-field={e.field ?? ''}>
                    <td>{e.row}</td>
                    <td>{e.id ?? ''}</td>
                    <td>{e.field ?? ''}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button type="button" class="btn btn--quiet btn--tiny" data-testid="product-import-clear" onClick={clearImport}>
            {tr.t('console.import.clear')}
          </button>
        </div>
      )}
    </section>
  );
}
