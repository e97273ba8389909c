/** The ids of the shortcut dialogs, shared by their markup (a server component) and the listener (a client one). */
export const GO_TO_ID = "go-to-order";
export const KEYS_ID = "keyboard-shortcuts";
