import { useRef, useState } from 'preact/hooks';
import type { Translator } from '../../../src/index.js';
import { errorText } from '../lib/errors.js';
import { useStore } from '../lib/use-store.js';
import { insertIntoDraft } from '../stores/composer.js';
import {
  $localOffer,
  $quickReplies,
  $quickReplyError,
  $serverReplies,
  addQuickReply,
  deleteQuickReply,
  dismissLocalOffer,
  editQuickReply,
  QUICK_REPLY_MAX,
  uploadLocalReplies,
} from '../stores/quick-replies.js';

/** The shop's saved answers: click to insert into the reply box; add, edit, delete (stored on the server, shared by the staff). */
export function QuickReplies({ conversationId, tr }: { conversationId: string; tr: Translator }) {
  const replies = useStore($quickReplies);
  const server = useStore($serverReplies);
  const failed = useStore($quickReplyError);
  const offer = useStore($localOffer);
  /** The reply being edited, `'new'` for a new one, or `null`. */
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <section class="side-section quick-replies" aria-labelledby="quick-replies-title" data-testid="quick-replies">
      <div class="side-section__head">
        <h3 id="quick-replies-title" class="side-section__title">
          {tr.t('console.quickReplies.title')}
        </h3>
        <button type="button" class="btn btn--quiet btn--small" data-testid="quick-reply-add" disabled={editing === 'new'} onClick={() => setEditing('new')}>
          {tr.t('console.quickReplies.add')}
        </button>
      </div>
      <p class="side-section__hint">{tr.t('console.quickReplies.hintShared')}</p>
      {server.error && !server.loaded && (
        <p class="side-section__error" role="alert" data-testid="quick-reply-load-error" data-code={server.error}>
          {tr.t('console.quickReplies.loadFailed')}
        </p>
      )}
      {failed && (
        <p class="side-section__error" role="alert" data-testid="quick-reply-error" data-code={failed}>
          {tr.t('console.quickReplies.saveFailed', { reason: errorText(failed, tr) })}
        </p>
      )}
      {offer.length > 0 && (
        <div class="notice" data-testid="quick-reply-upload-offer">
          <p class="notice__text">{tr.t('console.quickReplies.uploadOffer', { count: offer.length })}</p>
          <span class="notice__actions">
            <button type="button" class="btn btn--quiet btn--tiny" data-testid="quick-reply-upload-dismiss" onClick={dismissLocalOffer}>
              {tr.t('console.quickReplies.uploadDismiss')}
            </button>
            <button type="button" class="btn btn--primary btn--tiny" data-testid="quick-reply-upload" onClick={() => void uploadLocalReplies()}>
              {tr.t('console.quickReplies.upload')}
            </button>
          </span>
        </div>
      )}
      {editing === 'new' && (
        <Editor
          tr={tr}
          initial=""
          onSave={(text) => {
            void addQuickReply(text);
            setEditing(null);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {replies.length === 0 && editing !== 'new' && <p class="side-section__empty">{tr.t('console.quickReplies.empty')}</p>}
      <ul class="quick-replies__list" data-testid="quick-reply-list">
        {replies.map((r) =>
          editing === r.id ? (
            <li key={r.id} class="quick-reply quick-reply--editing" data-testid="quick-reply" data-id={r.id}>
              <Editor
                tr={tr}
                initial={r.text}
                onSave={(text) => {
                  void editQuickReply(r.id, text);
                  setEditing(null);
                }}
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <li key={r.id} class="quick-reply" data-testid="quick-reply" data-id={r.id}>
              <button type="button" class="quick-reply__insert" data-testid="quick-reply-insert" onClick={() => insertIntoDraft(conversationId, r.text)}>
                {r.text}
              </button>
              <span class="quick-reply__tools">
                <button type="button" class="btn btn--quiet btn--tiny" data-testid="quick-reply-edit" onClick={() => setEditing(r.id)}>
                  {tr.t('console.quickReplies.edit')}
                </button>
                <button type="button" class="btn btn--quiet btn--tiny" data-testid="quick-reply-delete" onClick={() => void deleteQuickReply(r.id)}>
                  {tr.t('console.quickReplies.delete')}
                </button>
              </span>
            </li>
          ),
        )}
      </ul>
    </section>
  );
}

function Editor({ tr, initial, onSave, onCancel }: { tr: Translator; initial: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const composing = useRef(false);
  return (
    <form
      class="quick-reply-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onSave(text);
      }}
    >
      <label class="visually-hidden" for="quick-reply-input">
        {tr.t('console.quickReplies.text')}
      </label>
      <textarea
        id="quick-reply-input"
        class="quick-reply-editor__input"
        data-testid="quick-reply-input"
        rows={2}
        maxLength={QUICK_REPLY_MAX}
        value={text}
        ref={(el) => {
          if (el && !el.dataset.focused) {
            el.dataset.focused = '1';
            el.focus();
          }
        }}
        onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
        onCompositionStart={() => {
          composing.current = true;
        }}
        onCompositionEnd={() => {
          composing.current = false;
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !composing.current && e.keyCode !== 229) {
            e.preventDefault();
            if (text.trim()) onSave(text);
          }
        }}
      />
      <span class="quick-reply-editor__actions">
        <button type="button" class="btn btn--quiet btn--tiny" data-testid="quick-reply-cancel" onClick={onCancel}>
          {tr.t('console.quickReplies.cancel')}
        </button>
        <button type="submit" class="btn btn--primary btn--tiny" data-testid="quick-reply-save" disabled={!text.trim()}>
          {tr.t('console.quickReplies.save')}
        </button>
      </span>
    </form>
  );
}
