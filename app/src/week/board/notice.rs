//! The server's answer to the last change, said at the foot of the window: it never moves the board
//! under the pointer, and stays until read and closed or replaced by the next answer.

use super::state::{Board, Notice};
use leptos::prelude::*;

#[component]
pub fn NoticeToast(board: Board) -> impl IntoView {
    move || {
        board.notice.get().map(|notice| {
            let (class, role, text) = match notice {
                Notice::Saved(text) => ("notice saved", "status", text),
                Notice::SavedWithConflicts(text) => ("notice saved with-conflicts", "status", text),
                Notice::Stale(text) => ("notice stale", "alert", text),
                Notice::Refused(text) => ("notice refused", "alert", text),
            };
            view! {
                <div class="toast">
                    <p class=class role=role>{text}</p>
                    <button type="button" class="close" aria-label="Close the message" on:click=move |_| board.notice.set(None)>
                        "×"
                    </button>
                </div>
            }
        })
    }
}
