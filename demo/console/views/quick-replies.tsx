import { useRef, useState } from 'preact/hooks';
import type { Translator } from '../../../src/index.js';
import { useStore } from '../lib/use-store.js';
import { insertIntoDraft } from '../stores/composer.js';
import { $quickReplies, addQuickReply, deleteQuickReply, editQuickReply, QUICK_REPLY_MAX } from '../stores/quick-replies.js';

/** The agent's saved answers: click to insert into the reply box; add, edit, delete (kept in this browser). */
export function QuickReplies({ conversationId, tr }: { conversationId: string; tr: Translator }) {
  const replies = useStore($quickReplies);
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
      <p class="side-section__hint">{tr.t('console.quickReplies.hint')}</p>
      {editing === 'new' && (
        <Editor
          tr={tr}
          initial=""
          onSave={(text) => {
            addQuickReply(text);
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
                  editQuickReply(r.id, text);
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
                <button type="button" class="btn btn--quiet btn--tiny" data-testid="quick-reply-delete" onClick={() => deleteQuickReply(r.id)}>
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
