pub mod pages;
pub mod qr;
