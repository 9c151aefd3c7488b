// SPDX-License-Identifier: GPL-3.0-or-later
// Creating and ending accounts in the window, against the test server: the wizard's "Create one" path asks
// the server for its form, shows a taken name's refusal on the form and creates the account once the name is
// changed, then stores it; an invitation link fills in the server and makes an account on the invite-only
// host; a pasted link that is not an invitation is refused; in the account's settings, the password is
// changed on the server (typed twice) and the account is deleted there after its address was typed.
#include "OnlineAccount.h"
#include "Screenshot.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/LoginCheck.h"
#include "widgets/contacts/AddContactDialog.h"
#include "widgets/contacts/InviteContactDialog.h"
#include "widgets/crypto/QrCodeView.h"
#include "widgets/dialogs/AccountSettingsDialog.h"
#include "widgets/dialogs/AccountWizard.h"
#include "widgets/dialogs/DeleteAccountDialog.h"
#include "widgets/dialogs/RegistrationPage.h"
#include "widgets/dialogs/ServerPasswordDialog.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QUuid>

using namespace Natter;
using namespace Natter::Core;
using namespace Natter::Test;

namespace {
constexpr int NetworkTimeout = 20000;

template <typename T> T *child(QWidget *parent, const QString &name)
{
    return parent ? parent->findChild<T *>(name) : nullptr;
}

QString freshName(const QString &prefix)
{
    return prefix + QUuid::createUuid().toString(QUuid::Id128).left(10);
}
} // namespace

class tst_UiRegistration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void aNewAccountIsCreatedFromTheServersForm();
    void aCaptchaPictureIsShownAndAnswered();
    void anInvitationLinkCreatesAnAccountOnItsServer();
    void anInvitedAccountInvitesAContactWhoAddsItAtOnce();
    void textThatIsNotAnInvitationIsRefused();
    void thePasswordIsChangedOnTheServer();
    void theAccountIsDeletedOnTheServerAfterTypingItsAddress();

private:
    // A wizard on the registration path, pointed at the test server's host and port.
    std::unique_ptr<Ui::AccountWizard> registrationWizard();
    // Fills in the form's name and password and creates the account; the account once stored.
    Account *createAccount(Ui::AccountWizard &wizard, const QString &name, const QString &password);
    Error login(const QString &jid, const QString &password);

    TestServer m_server;
    TestProfile m_profile;
    std::unique_ptr<AccountManager> m_manager;
};

void tst_UiRegistration::initTestCase()
{
    qRegisterMetaType<Account *>();
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    m_manager = std::make_unique<AccountManager>(m_profile.path());
    m_manager->setAdditionalCaCertificates(m_server.caCertificates());
    QVERIFY(isOk(waitFor(m_manager->open())));
}

std::unique_ptr<Ui::AccountWizard> tst_UiRegistration::registrationWizard()
{
    auto wizard = std::make_unique<Ui::AccountWizard>(*m_manager);
    wizard->show();
    wizard->activateWindow();
    if (!QTest::qWaitForWindowActive(wizard.get()))
        return nullptr;
    auto *switchButton = child<QPushButton>(wizard.get(), QStringLiteral("switchModeButton"));
    if (!switchButton)
        return nullptr;
    QTest::mouseClick(switchButton, Qt::LeftButton);
    QTest::mouseClick(child<QToolButton>(wizard.get(), QStringLiteral("advancedToggle")), Qt::LeftButton);
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("hostEdit")), m_server.host);
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("portEdit")),
                     QString::number(m_server.c2sPort));
    return wizard;
}

Account *tst_UiRegistration::createAccount(Ui::AccountWizard &wizard, const QString &name,
                                           const QString &password)
{
    auto *username = child<QLineEdit>(&wizard, QStringLiteral("field:username"));
    auto *secret = child<QLineEdit>(&wizard, QStringLiteral("field:password"));
    if (!username || !secret)
        return nullptr;
    username->clear();
    QTest::keyClicks(username, name);
    secret->clear();
    QTest::keyClicks(secret, password);
    QSignalSpy added(&wizard, &Ui::AccountWizard::accountAdded);
    QTest::mouseClick(child<QPushButton>(&wizard, QStringLiteral("finishButton")), Qt::LeftButton);
    // Without a keychain, the wizard asks where to keep the password.
    QMessageBox *question = nullptr;
    if (!QTest::qWaitFor(
            [&] {
                question = child<QMessageBox>(&wizard, QStringLiteral("passwordStorageQuestion"));
                return (question && question->isVisible()) || !added.isEmpty() ||
                       !wizard.errorText().isEmpty();
            },
            NetworkTimeout))
        return nullptr;
    if (added.isEmpty() && question && question->isVisible()) {
        QTest::mouseClick(child<QPushButton>(question, QStringLiteral("keepInProfileButton")),
                          Qt::LeftButton);
        added.wait(NetworkTimeout);
    }
    if (added.isEmpty())
        return nullptr;
    return added.first().first().value<Account *>();
}

Error tst_UiRegistration::login(const QString &jid, const QString &password)
{
    return tryLogin(*m_manager, m_server, jid, password);
}

void tst_UiRegistration::aNewAccountIsCreatedFromTheServersForm()
{
    auto wizard = registrationWizard();
    QVERIFY(wizard);
    auto *server = child<QComboBox>(wizard.get(), QStringLiteral("serverEdit"));
    QVERIFY(server && server->isVisible());
    // Suggestions to pick from, and any server can be typed.
    QCOMPARE(server->count(), Ui::RegistrationPage::suggestedServers().size());
    auto *finish = child<QPushButton>(wizard.get(), QStringLiteral("finishButton"));
    QCOMPARE(finish->text(), QStringLiteral("&Continue"));
    QTest::mouseClick(finish, Qt::LeftButton);
    QVERIFY2(wizard->errorText().contains(u"server's name"), qPrintable(wizard->errorText()));
    server->setCurrentText(m_server.domain);
    QTest::mouseClick(finish, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        child<QLineEdit>(wizard.get(), QStringLiteral("field:username")) &&
            child<QLineEdit>(wizard.get(), QStringLiteral("field:username"))->isVisible(),
        NetworkTimeout);
    QCOMPARE(finish->text(), QStringLiteral("&Create account"));
    QVERIFY(
        child<QLabel>(wizard.get(), QStringLiteral("registrationTitle"))->text().contains(m_server.domain));

    // A taken name: the server's refusal, on the form, with the name field to correct.
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("field:username")),
                     QStringLiteral("alice"));
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("field:password")),
                     QStringLiteral("pw-ui-1"));
    QTest::mouseClick(finish, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->errorText().contains(u"taken"), NetworkTimeout);
    QVERIFY(!wizard->isBusy());
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(wizard.get(), QStringLiteral("field:username")));
    QTest::mouseClick(child<QToolButton>(wizard.get(), QStringLiteral("advancedToggle")), Qt::LeftButton);
    wizard->resize(520, 380);
    saveScreenshot(wizard.get(), QStringLiteral("registration-wizard.png"));

    const QString name = freshName(QStringLiteral("uinew"));
    Account *account = createAccount(*wizard, name, QStringLiteral("pw-ui-2"));
    QVERIFY2(account, qPrintable(wizard->errorText()));
    QCOMPARE(account->jid(), name + u'@' + m_server.domain);
    QCOMPARE(account->config().host, m_server.host);
    QCOMPARE(m_manager->account(account->jid()), account);
    QVERIFY(!login(account->jid(), QStringLiteral("pw-ui-2")).isError());
}

void tst_UiRegistration::aCaptchaPictureIsShownAndAnswered()
{
    auto wizard = registrationWizard();
    QVERIFY(wizard);
    child<QComboBox>(wizard.get(), QStringLiteral("serverEdit"))->setCurrentText(m_server.captchaDomain);
    QTest::mouseClick(child<QPushButton>(wizard.get(), QStringLiteral("finishButton")), Qt::LeftButton);
    QLabel *picture = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((picture = child<QLabel>(wizard.get(), QStringLiteral("media:ocr"))) &&
                                 picture->isVisible(),
                             NetworkTimeout);
    QCOMPARE(picture->pixmap().size(), QSize(120, 40));
    // Laid out at its size, not squeezed to nothing (a word-wrapping label once was).
    QVERIFY2(picture->height() >= 40, qPrintable(QString::number(picture->height())));
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("field:ocr")), QStringLiteral("robot"));
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("field:username")),
                     freshName(QStringLiteral("uibot")));
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("field:password")),
                     QStringLiteral("pw-ui-9"));
    QTest::mouseClick(child<QPushButton>(wizard.get(), QStringLiteral("finishButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->errorText().contains(u"picture"), NetworkTimeout);
    QTest::mouseClick(child<QToolButton>(wizard.get(), QStringLiteral("advancedToggle")), Qt::LeftButton);
    wizard->resize(520, 460);
    saveScreenshot(wizard.get(), QStringLiteral("registration-captcha.png"));
    auto *text = child<QLineEdit>(wizard.get(), QStringLiteral("field:ocr"));
    text->clear();
    QTest::keyClicks(text, m_server.captchaAnswer);
    const QString name = freshName(QStringLiteral("uihuman"));
    Account *account = createAccount(*wizard, name, QStringLiteral("pw-ui-10"));
    QVERIFY2(account, qPrintable(wizard->errorText()));
    QCOMPARE(account->jid(), name + u'@' + m_server.captchaDomain);
}

void tst_UiRegistration::anInvitationLinkCreatesAnAccountOnItsServer()
{
    const auto link = m_server.createInvitation(m_server.invitesDomain);
    QVERIFY(link);
    auto wizard = registrationWizard();
    QVERIFY(wizard);
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("invitationEdit")), *link);
    auto *server = child<QComboBox>(wizard.get(), QStringLiteral("serverEdit"));
    QCOMPARE(server->currentText(), m_server.invitesDomain);
    QVERIFY(!server->isEnabled());
    QVERIFY(child<QLabel>(wizard.get(), QStringLiteral("invitationNote"))->isVisible());
    QTest::mouseClick(child<QPushButton>(wizard.get(), QStringLiteral("finishButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        child<QLineEdit>(wizard.get(), QStringLiteral("field:username")) &&
            child<QLineEdit>(wizard.get(), QStringLiteral("field:username"))->isVisible(),
        NetworkTimeout);
    const QString name = freshName(QStringLiteral("uiinvited"));
    Account *account = createAccount(*wizard, name, QStringLiteral("pw-ui-3"));
    QVERIFY2(account, qPrintable(wizard->errorText()));
    QCOMPARE(account->jid(), name + u'@' + m_server.invitesDomain);
}

void tst_UiRegistration::anInvitedAccountInvitesAContactWhoAddsItAtOnce()
{
    const auto link = m_server.createInvitation(m_server.invitesDomain);
    QVERIFY(link);
    auto wizard = registrationWizard();
    QVERIFY(wizard);
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("invitationEdit")), *link);
    QTest::mouseClick(child<QPushButton>(wizard.get(), QStringLiteral("finishButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        child<QLineEdit>(wizard.get(), QStringLiteral("field:username")) &&
            child<QLineEdit>(wizard.get(), QStringLiteral("field:username"))->isVisible(),
        NetworkTimeout);
    Account *inviter =
        createAccount(*wizard, freshName(QStringLiteral("uiinviter")), QStringLiteral("pw-ui-11"));
    QVERIFY2(inviter, qPrintable(wizard->errorText()));
    wizard.reset();
    QVERIFY(goOnline(inviter));

    Ui::InviteContactDialog invite(*inviter);
    invite.show();
    auto *linkEdit = child<QLineEdit>(&invite, QStringLiteral("inviteLinkEdit"));
    QTRY_VERIFY_WITH_TIMEOUT(linkEdit->isVisible(), NetworkTimeout);
    const QString contactLink = linkEdit->text();
    QVERIFY2(
        contactLink.startsWith(QStringLiteral("xmpp:") + inviter->jid() + QStringLiteral("?roster;preauth=")),
        qPrintable(contactLink));
    auto *code = child<Ui::QrCodeView>(&invite, QStringLiteral("inviteQrCode"));
    QVERIFY(code->isVisible());
    QCOMPARE(code->text(), contactLink);
    QVERIFY(child<QLabel>(&invite, QStringLiteral("inviteExpires"))->isVisible());
    saveScreenshot(&invite, QStringLiteral("invite-contact.png"));

    // The link pasted into Add contact fills in the address and says the contact is added at once.
    Ui::AddContactDialog add({m_server.jid(QStringLiteral("bob"))});
    add.show();
    QTest::keyClicks(child<QLineEdit>(&add, QStringLiteral("contactJidEdit")), contactLink);
    QVERIFY(child<QLabel>(&add, QStringLiteral("invitationNote"))->isVisible());
    add.accept();
    QCOMPARE(add.result(), int(QDialog::Accepted));
    QCOMPARE(add.contactJid(), inviter->jid());
    QVERIFY(!add.preauthToken().isEmpty());
    QVERIFY(contactLink.endsWith(add.preauthToken()));

    // A link that names no contact is refused with a reason.
    Ui::AddContactDialog other({m_server.jid(QStringLiteral("bob"))});
    QTest::keyClicks(child<QLineEdit>(&other, QStringLiteral("contactJidEdit")), *link);
    other.accept();
    QVERIFY(other.result() != int(QDialog::Accepted));
    QVERIFY2(other.errorText().contains(u"does not name a contact"), qPrintable(other.errorText()));
}

void tst_UiRegistration::textThatIsNotAnInvitationIsRefused()
{
    auto wizard = registrationWizard();
    QVERIFY(wizard);
    QTest::keyClicks(child<QLineEdit>(wizard.get(), QStringLiteral("invitationEdit")),
                     QStringLiteral("https://example.org/invite/abc"));
    QTest::mouseClick(child<QPushButton>(wizard.get(), QStringLiteral("finishButton")), Qt::LeftButton);
    QVERIFY2(wizard->errorText().contains(u"not an invitation"), qPrintable(wizard->errorText()));
    QVERIFY(!wizard->isBusy());
    QCOMPARE(QApplication::focusWidget(), child<QLineEdit>(wizard.get(), QStringLiteral("invitationEdit")));
}

void tst_UiRegistration::thePasswordIsChangedOnTheServer()
{
    const auto name = m_server.registerAccount(QStringLiteral("uichanger"), TestServer::Listing::Unlisted);
    QVERIFY(name);
    const TestAccount user = m_server.account(*name);
    Account *account = addOnlineAccount(*m_manager, m_server, *name);
    QVERIFY(account);

    Ui::AccountSettingsDialog settings(*m_manager, account);
    settings.show();
    QTest::mouseClick(child<QPushButton>(&settings, QStringLiteral("changeServerPasswordButton")),
                      Qt::LeftButton);
    Ui::ServerPasswordDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = settings.findChild<Ui::ServerPasswordDialog *>()) && dialog->isVisible());
    auto *password = child<QLineEdit>(dialog, QStringLiteral("serverPasswordEdit"));
    auto *repeat = child<QLineEdit>(dialog, QStringLiteral("serverPasswordRepeatEdit"));
    auto *change = child<QPushButton>(dialog, QStringLiteral("changePasswordButton"));
    QTest::keyClicks(password, QStringLiteral("ui-new-pw-1"));
    QTest::keyClicks(repeat, QStringLiteral("ui-new-pw-2"));
    QTest::mouseClick(change, Qt::LeftButton);
    QVERIFY2(dialog->errorText().contains(u"differ"), qPrintable(dialog->errorText()));
    repeat->clear();
    QTest::keyClicks(repeat, QStringLiteral("ui-new-pw-1"));
    QPointer<Ui::ServerPasswordDialog> guard(dialog);
    QTest::mouseClick(change, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!guard || !guard->isVisible(), NetworkTimeout);
    QCOMPARE(account->password(), QStringLiteral("ui-new-pw-1"));
    QCOMPARE(login(account->jid(), user.password).code, Error::Code::AuthenticationFailed);
    QVERIFY(!login(account->jid(), QStringLiteral("ui-new-pw-1")).isError());
}

void tst_UiRegistration::theAccountIsDeletedOnTheServerAfterTypingItsAddress()
{
    const auto name = m_server.registerAccount(QStringLiteral("uileaver"), TestServer::Listing::Unlisted);
    QVERIFY(name);
    const TestAccount user = m_server.account(*name);
    Account *account = addOnlineAccount(*m_manager, m_server, *name);
    QVERIFY(account);

    Ui::AccountSettingsDialog settings(*m_manager, account);
    settings.show();
    QTest::mouseClick(child<QPushButton>(&settings, QStringLiteral("deleteOnServerButton")), Qt::LeftButton);
    Ui::DeleteAccountDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = settings.findChild<Ui::DeleteAccountDialog *>()) && dialog->isVisible());
    auto *confirmation = child<QLineEdit>(dialog, QStringLiteral("deleteConfirmationEdit"));
    auto *deleteButton = child<QPushButton>(dialog, QStringLiteral("deleteAccountButton"));
    // Only the exact address unlocks the button.
    QVERIFY(!deleteButton->isEnabled());
    QTest::keyClicks(confirmation, user.jid.left(user.jid.size() - 1));
    QVERIFY(!deleteButton->isEnabled());
    QTest::mouseClick(deleteButton, Qt::LeftButton);
    QVERIFY(m_manager->account(user.jid));
    QTest::keyClicks(confirmation, user.jid.right(1));
    QVERIFY(deleteButton->isEnabled());
    dialog->resize(480, 240);
    saveScreenshot(dialog, QStringLiteral("delete-account.png"));
    QSignalSpy removed(m_manager.get(), &AccountManager::accountRemoved);
    QTest::mouseClick(deleteButton, Qt::LeftButton);
    QVERIFY(removed.wait(NetworkTimeout));
    QCOMPARE(removed.first().first().toString(), user.jid);
    QTRY_VERIFY(!settings.isVisible());
    QCOMPARE(login(user.jid, user.password).code, Error::Code::AuthenticationFailed);
}

QTEST_MAIN(tst_UiRegistration)
#include "tst_ui_registration.moc"
