/**
 * Who is at the keyboard, asked at the moment something is recorded: the data dir's identity once it
 * has one (an identity made while the app runs names every record after it), before that the OS user.
 */
export type CurrentEngineer = () => string;
