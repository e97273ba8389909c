/** A button's look, by variant: classes of app/globals.css ("Form controls and buttons"). */
export const buttonVariants = {
  primary: "btn-primary",
  secondary: "btn-secondary",
  danger: "btn-danger",
} as const;

export const buttonClass = (variant: keyof typeof buttonVariants = "primary") => `btn ${buttonVariants[variant]}`;
